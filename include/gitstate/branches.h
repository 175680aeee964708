// Branches and tags: named lines of history and named versions.
//
// Branches are refs/heads/<name>; tags are lightweight refs/tags/<name>
// (annotated tags made by stock git are read and peeled, not created).
// Names follow git's check-ref-format rules (is_valid_ref_name in
// revision.h). Every ref move is a compare-and-swap on the value the call
// read or was given, so concurrent writers never lose a commit: a ref that
// moved under the call gives kModified.
//
// Thread-safety: all functions may be called from several threads and
// processes at once. Results are plain values owned by the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct RefInfo {
  std::string name;  // short name: "main", "v1"
  Oid target;        // the commit (tags: peeled to their commit)
};

// Branches in name order. kIO / kCorrupt when refs cannot be read.
Result<std::vector<RefInfo>> list_branches(const Repository& repo);

// Creates branch `name` at `start` (a revision; empty: the current branch).
// kInvalid: malformed name or revision. kNotFound: unknown revision.
// kModified: the branch already exists (nothing changes).
// kPermissionDenied: the branch requires signed commits and start's history
// is not all signed (verify.h).
Result<Oid> create_branch(const Repository& repo, std::string_view name,
                          std::string_view start = {});

// Deletes branch `name` if it still points at `expected` (default: the value
// read now). kInvalid: malformed name, or the current branch (HEAD names it).
// kNotFound: no such branch. kModified: it moved (nothing changes).
Status delete_branch(const Repository& repo, std::string_view name,
                     const std::optional<Oid>& expected = std::nullopt);

// Moves branch `name` forward to `target` (a revision) when its head is an
// ancestor of target (or equal: no-op); returns the new head. An unborn
// current branch is created at target. kNonFastForward: the move would lose
// commits. kModified: the branch moved during the call. kInvalid /
// kNotFound: bad or unknown name or revision. kPermissionDenied: the branch
// requires signed commits and a commit it would gain is not (verify.h).
Result<Oid> fast_forward(const Repository& repo, std::string_view name, std::string_view target);

// Tags in name order, peeled to commits.
Result<std::vector<RefInfo>> list_tags(const Repository& repo);

// Creates lightweight tag `name` at `rev` (empty: the current branch).
// Errors as create_branch (kModified: the tag exists).
Result<Oid> create_tag(const Repository& repo, std::string_view name, std::string_view rev = {});

// Deletes tag `name`. kInvalid: malformed name. kNotFound: no such tag.
// kModified: it moved during the call.
Status delete_tag(const Repository& repo, std::string_view name);

}  // namespace gitstate
