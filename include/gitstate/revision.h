// Revisions: the names that select a commit (cli.md's REV).
//
// Syntax: BASE followed by any chain of steps.
//   BASE  HEAD (the current branch); a ref name, looked up as git does:
//         refs/<name>, refs/tags/<name>, refs/heads/<name>, refs/remotes/<name>
//         (so a tag wins over a branch of the same name; full names such as
//         refs/heads/main work too); a full 40-digit commit id; an
//         abbreviated commit id (4 to 39 hex digits) when no ref has that
//         name, matched against the commits reachable from any ref.
//   ~N    the N-th first-parent ancestor (`~` alone is `~1`)
//   ^N    the N-th parent (`^` alone is `^1`, `^0` the commit itself)
// Example: `main~2^2` is the second parent of main's grandparent.
// Annotated tags are peeled to their commit.
//
// parse_revision() checks syntax only; Repository::resolve() (or
// resolve_revision) looks the names up. Pure functions and plain values;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct RevisionStep {
  enum class Kind { kAncestor, kParent };  // `~N`, `^N`
  Kind kind = Kind::kAncestor;
  unsigned n = 1;
  bool operator==(const RevisionStep&) const = default;
};

struct Revision {
  std::string base;                 // "HEAD", a ref name or hex digits
  std::vector<RevisionStep> steps;  // applied left to right
  bool operator==(const Revision&) const = default;
};

// Parses `text`. kInvalid naming the revision when the base is empty or not
// a valid ref name (git's check-ref-format rules) or hex id, or a step's
// number is malformed or too large.
Result<Revision> parse_revision(std::string_view text);

// Resolves `text` to a commit id in `repo`; same as Repository::resolve.
// kInvalid: bad syntax, an ambiguous abbreviated id (the message lists the
// candidates), a name that peels to something other than a commit.
// kNotFound: an unknown name, an id naming no commit, a step past the root
// or to a missing parent, an unborn current branch.
Result<Oid> resolve_revision(const Repository& repo, std::string_view text);

// True when `name` is a valid branch or tag name: git's check-ref-format
// rules for `refs/heads/<name>` (no "..", "@{", control characters, space,
// ~ ^ : ? * [ \, no component starting with '.' or ending with ".lock", not
// starting or ending with '/', no "//", not "@", not "HEAD").
bool is_valid_ref_name(std::string_view name);

}  // namespace gitstate
