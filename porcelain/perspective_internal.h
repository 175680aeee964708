// How the porcelain sees history through the perspective a Repository handle
// is bound to (repository.h). For an unbound handle every function is the
// identity: trees are themselves and every commit is visible.
//
// Thread-safety: as the Repository; views come from its shared cache.
#pragma once

#include <optional>
#include <string_view>

#include "gitstate/history.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

// The state tree `tree` as the handle sees it (its view when bound).
// kCorrupt / kIO as filter_tree.
Result<Oid> seen_tree(const Repository& repo, const Oid& tree);

// True when `commit` changes something the handle sees: its seen tree
// differs from its first parent's. Root commits always count.
Result<bool> commit_visible(const Repository& repo, const CommitData& commit);

// `id` when visible, otherwise its nearest visible first-parent ancestor.
// kNotFound / kCorrupt when the history cannot be read.
Result<Oid> visible_commit(const Repository& repo, Oid id);

// The commit as the handle sees it: tree replaced by its view and parents by
// their visible commits; nullopt when the commit is not visible.
Result<std::optional<CommitInfo>> seen_commit(const Repository& repo, const Oid& id,
                                              const CommitData& commit);

// The handle without its perspective, for internal use only.
Repository unbound(const Repository& repo);

// kPermissionDenied saying that `what` is not possible through the
// perspective when `repo` is bound; ok otherwise.
Status refuse_bound(const Repository& repo, std::string_view what);

}  // namespace gitstate
