// Fuzzes the commit journal's record decoder, which recovery runs over
// whatever a crash or a power loss left in the file. Properties: no crash;
// every record it returns re-encodes to a frame that decodes to the same
// record.
#include "fuzz_target.h"
#include "journal_record.h"

using namespace gitstate;
using namespace gitstate::fuzz;

namespace {
bool same(const JournalRecord& a, const JournalRecord& b) {
  bool same_pack = a.pack.has_value() == b.pack.has_value() &&
                   (!a.pack || (a.pack->name == b.pack->name && a.pack->pack == b.pack->pack &&
                                a.pack->index == b.pack->index));
  bool same_ref = a.ref.has_value() == b.ref.has_value() &&
                  (!a.ref || (a.ref->name == b.ref->name && a.ref->old_value == b.ref->old_value &&
                              a.ref->new_value == b.ref->new_value));
  return same_pack && same_ref;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const JournalRecord& record : decode_journal_records(as_text(data, size))) {
    fuzz_check(record.pack.has_value() != record.ref.has_value(), "a record is a pack or a ref");
    auto again = decode_journal_records(encode_journal_record(record));
    fuzz_check(again.size() == 1, "a re-encoded record decodes alone");
    fuzz_check(same(again[0], record), "a re-encoded record decodes equal");
  }
  return 0;
}
