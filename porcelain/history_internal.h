// Helpers shared by log, show, diff and blame.
//
// Thread-safety: pure functions over a thread-safe ObjectStore.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "gitstate/history.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/result.h"

namespace gitstate {

// CommitInfo of an already parsed commit.
CommitInfo make_commit_info(const Oid& id, const CommitData& commit);

// The state tree of the first parent of `commit` as the handle sees it
// (its view when bound); the empty tree for a root commit. kCorrupt / kIO
// from the store.
Result<Oid> first_parent_tree(const Repository& repo, const CommitInfo& commit);

// The value at `path` in the state `tree`, or nullopt when nothing is there
// (also when the path goes through a scalar). kCorrupt / kIO from the store.
Result<std::optional<nlohmann::json>> value_if_present(ObjectStore& store, const Oid& tree,
                                                       const Path& path);

// True when the value at `path` (or anything under it) differs between the
// states `old_tree` and `new_tree`. Cheap: compares the nodes on the path by
// id, and reads values only when the path lies inside an array blob.
Result<bool> path_changed(ObjectStore& store, const Oid& old_tree, const Oid& new_tree,
                          const Path& path);

// Parses a pointer given by a caller; the error names it.
Result<Path> parse_user_pointer(std::string_view pointer);

}  // namespace gitstate
