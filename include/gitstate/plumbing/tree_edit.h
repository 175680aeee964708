// Tree edits: set and remove values at paths, rewriting only touched trees.
//
// apply_edits() turns a state tree and a list of edits into a new state tree,
// copy-on-write: the objects on the path from the root to each change are
// loaded into a small mutable structure, every edit is applied there, and the
// modified trees are written bottom-up once. Untouched subtrees (and untouched
// fanout buckets of large objects) keep their ids. Fanout buckets split and
// collapse across kFanoutThreshold exactly as write_value would lay out the
// result, so the new id depends only on the resulting state, never on the
// order or grouping of the edits that produced it.
//
// Thread-safety: a pure function over an ObjectStore (itself thread-safe).
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

struct Edit {
  Path path;                            // where; the empty path is the root
  std::optional<nlohmann::json> value;  // the new value; nullopt removes the member
  bool create_parents = true;           // create missing parent objects on a set
};

// Applies `edits` in order to the state stored as `root_tree` (later edits see
// earlier ones) and returns the new root tree id; objects are written to
// `store` (pending until flushed).
//
// Setting replaces an existing value of any type. Setting the root needs an
// object; removing the root is kInvalid. Missing parent objects are created
// when create_parents, else kNotFound naming the missing parent. Removing a
// path that does not exist is kNotFound naming it. A path through a scalar or
// an array is kInvalid ("path /a/b goes through a scalar at /a"). Values are
// checked as write_value checks them, counting the depth of the path. On any
// error nothing is returned; objects already written are unreferenced garbage.
// kCorrupt/kNotFound/kIO when the store cannot read a tree on a touched path.
Result<Oid> apply_edits(ObjectStore& store, const Oid& root_tree, const std::vector<Edit>& edits);

}  // namespace gitstate
