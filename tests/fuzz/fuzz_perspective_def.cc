// Fuzzes perspective definitions, read from user input and from refs that
// travel between repositories. Properties: no crash; an accepted definition's
// canonical JSON parses to the canonical definition again, with the same
// digest (the view cache key).
#include "fuzz_target.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/perspective_def.h"

using namespace gitstate;
using namespace gitstate::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto value = parse_json_text(as_text(data, size));
  if (!value.is_ok()) return 0;
  auto def = parse_perspective_def(*value);
  if (!def.is_ok()) {
    fuzz_check(def.status().code() == Code::kInvalid, "a rejected definition is kInvalid");
    return 0;
  }
  PerspectiveDef canonical = canonical_perspective_def(*def);
  auto again = parse_perspective_def(perspective_def_json(canonical));
  fuzz_check(again.is_ok(), "canonical JSON parses");
  fuzz_check(canonical_perspective_def(*again) == canonical, "canonical form round-trips");
  fuzz_check(perspective_def_digest(*again) == perspective_def_digest(*def), "digest is stable");
  return 0;
}
