// Fuzzes the strict JSON parser that reads every value given to gitstate.
// Properties: parsing never crashes; an accepted value's canonical text parses
// back to an equal value and is a fixed point (canonical of canonical is the
// same bytes), which is what history independence rests on.
#include "fuzz_target.h"
#include "gitstate/plumbing/codec.h"

using namespace gitstate;
using namespace gitstate::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto value = parse_json_text(as_text(data, size));
  if (!value.is_ok()) {
    fuzz_check(value.status().code() == Code::kInvalid, "rejected JSON is kInvalid");
    fuzz_check(!value.status().message().empty(), "rejected JSON has a message");
    return 0;
  }
  std::string canonical = canonical_text(*value);
  auto again = parse_json_text(canonical);
  fuzz_check(again.is_ok(), "canonical text parses");
  fuzz_check(*again == *value, "canonical text round-trips");
  fuzz_check(canonical_text(*again) == canonical, "canonical text is a fixed point");
  return 0;
}
