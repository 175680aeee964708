// Perspective definitions: named tree filters, and chains of them that build
// disclosure levels (basic -> standard -> complete).
//
// A definition names include and exclude globs (PointerGlob patterns, with
// the visibility rule of tree_filter.h) and optionally another perspective
// it extends. Its JSON form is
//   {"name": "standard", "include": ["/config/**"], "exclude": ["/**/secret"],
//    "extends": "basic"}
// where "exclude" and "extends" may be left out and "include" may be empty
// or left out only when "extends" is given.
//
// Extension. A perspective that extends another has the union of the
// includes of its whole chain and the union of the excludes of its whole
// chain. So an extension sees everything its base sees and what its own
// includes add, minus what its own excludes remove; an exclude anywhere in
// the chain holds for every perspective built on it (an extension can never
// reveal what a base hides). Disclosure levels are built by adding includes.
//
// Canonical form: the same definition always gives the same bytes, and so
// the same digest: include and exclude sorted bytewise with duplicates
// dropped, "extends" present only when set, written as canonical JSON text
// (codec.h). Globs are kept as written ("/a/**/**" and "/a/**" are different
// texts, so different definitions).
//
// Names: 1 to 64 bytes of ASCII letters, digits, '.', '_' and '-', starting
// with a letter or a digit, not ending with '.' or ".lock", without "..": a
// name is always usable as one component of a git ref name.
//
// Thread-safety: plain values and pure functions; the lookup passed to
// resolve_perspective is called from the calling thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/digest.h"
#include "gitstate/plumbing/tree_filter.h"
#include "gitstate/result.h"

namespace gitstate {

// The longest chain of perspectives (a perspective and every base it extends).
constexpr size_t kMaxPerspectiveChain = 16;

struct PerspectiveDef {
  std::string name;
  std::vector<std::string> include;  // glob texts
  std::vector<std::string> exclude;  // glob texts
  std::optional<std::string> extends;

  bool operator==(const PerspectiveDef&) const = default;
};

// True when `name` is a valid perspective name (rules above).
bool is_valid_perspective_name(std::string_view name);

// Checks a definition: a valid name, valid globs, a valid extends name other
// than the definition's own, and at least one include unless it extends
// another. kInvalid naming the perspective and what is wrong.
Status validate_perspective_def(const PerspectiveDef& def);

// Reads a definition from its JSON form and validates it. kInvalid for a
// value that is not an object, a missing name, an unknown field, a field of
// the wrong type, or as validate_perspective_def.
Result<PerspectiveDef> parse_perspective_def(const nlohmann::json& value);

// The canonical form of a definition (include and exclude sorted, unique).
// Never fails; does not validate.
PerspectiveDef canonical_perspective_def(PerspectiveDef def);

// The canonical JSON value of a definition. Never fails; does not validate.
nlohmann::json perspective_def_json(const PerspectiveDef& def);

// XXH3-128 of the canonical JSON text of a definition: equal for
// definitions with the same canonical form. Never fails.
Digest128 perspective_def_digest(const PerspectiveDef& def);

// A perspective with its chain resolved: what a view needs.
struct ResolvedPerspective {
  std::string name;
  std::vector<std::string> chain;  // the perspective, then each base it extends in turn
  Filter filter;                   // the chain's globs (mark_hidden false)
  // XXH3-128 of the canonical texts of the chain's definitions, in chain
  // order; equal to perspective_def_digest for a perspective that extends
  // nothing. A definition changed anywhere in the chain changes it.
  Digest128 digest;
};

// Where resolution finds definitions: the definition called `name`, or
// kNotFound when there is none (other failures are passed on as they are).
using PerspectiveLookup = std::function<Result<PerspectiveDef>(const std::string& name)>;

// Resolves the perspective `name` and every base it extends, each through
// `lookup` once. kNotFound when `name` or a base does not exist (naming the
// perspective that extends it); kInvalid for an invalid name, a definition
// that does not validate or whose name is not the one looked up, a cycle
// ("a -> b -> a"), or a chain longer than kMaxPerspectiveChain; failures of
// `lookup` as they come.
Result<ResolvedPerspective> resolve_perspective(const std::string& name,
                                                const PerspectiveLookup& lookup);

}  // namespace gitstate
