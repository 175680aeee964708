// Fuzzes the tree and commit parsers, which read every object gitstate loads
// (including objects a remote sent). Properties: no crash; a tree accepted
// by parse_tree re-encodes to exactly the same bytes (so its id is the one
// it was stored under); an accepted commit re-encodes to a commit that parses
// to the same fields.
#include "fuzz_target.h"
#include "gitstate/plumbing/object.h"

using namespace gitstate;
using namespace gitstate::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content = as_text(data, size);
  auto entries = parse_tree(content);
  if (entries.is_ok()) {
    fuzz_check(encode_sorted_tree(*entries) == content, "an accepted tree re-encodes exactly");
    for (const TreeEntry& entry : *entries)
      fuzz_check(find_entry(*entries, entry.name) != nullptr, "every entry is found by name");
  } else {
    fuzz_check(entries.status().code() == Code::kCorrupt, "a rejected tree is kCorrupt");
  }
  auto commit = parse_commit(content);
  if (commit.is_ok()) {
    auto again = parse_commit(encode_commit(*commit));
    fuzz_check(again.is_ok(), "a re-encoded commit parses");
    fuzz_check(*again == *commit, "a re-encoded commit has the same fields");
  } else {
    fuzz_check(commit.status().code() == Code::kCorrupt, "a rejected commit is kCorrupt");
  }
  return 0;
}
