// Fuzzes JSON Pointer and pointer-glob parsing, used on every path argument.
// Properties: an accepted pointer formats back to itself exactly (the
// escaping is one-to-one); a glob accepts exactly the texts parse_pointer
// accepts; a glob without wildcard tokens matches its own path, and any
// glob's prefix analysis agrees with matching on that path.
#include <algorithm>

#include "fuzz_target.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/pointer_glob.h"

using namespace gitstate;
using namespace gitstate::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = as_text(data, size);
  auto path = parse_pointer(text);
  auto glob = PointerGlob::parse(text);
  fuzz_check(path.is_ok() == glob.is_ok(), "pointer and glob accept the same texts");
  if (!path.is_ok()) {
    fuzz_check(path.status().code() == Code::kInvalid, "rejected pointer is kInvalid");
    return 0;
  }
  fuzz_check(format_pointer(*path) == text, "pointer formats back to its text");
  bool wildcard = std::any_of(path->begin(), path->end(), [](const std::string& token) {
    return token == "*" || token == "**";
  });
  bool matches = glob->matches(*path);
  if (!wildcard) fuzz_check(matches, "a literal glob matches its own path");
  if (!matches) return 0;
  for (size_t cut = 0; cut <= path->size(); ++cut) {
    Path prefix(path->begin(), path->begin() + static_cast<std::ptrdiff_t>(cut));
    fuzz_check(glob->can_match_below(prefix), "a match is reachable from itself and its prefixes");
  }
  return 0;
}
