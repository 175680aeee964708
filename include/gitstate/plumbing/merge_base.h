// Merge bases: the best common ancestors of two commits, from which a
// three-way merge starts.
//
// A best common ancestor is a common ancestor that no other common ancestor
// descends from. Usually there is one; criss-cross histories have several,
// and unrelated histories none. The answer equals `git merge-base --all`.
//
// The commits are read from the repository through libgit2, so both commits
// and their history must have been flushed (pending objects of an
// ObjectStore are not visible here).
//
// Thread-safety: may be called from any thread; serialised by the GitDir.
#pragma once

#include <vector>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

// Every best common ancestor of `a` and `b` (order unspecified); empty when
// the histories are unrelated. kNotFound when `a` or `b` is not a stored
// object; kInvalid when one is not a commit; kCorrupt or kIO when the
// history cannot be read.
Result<std::vector<Oid>> merge_bases(GitDir& dir, const Oid& a, const Oid& b);

}  // namespace gitstate
