// WorkingState: a state tree being changed by a transaction's operations.
//
// Starting from a root tree, apply() runs one Operation and moves the root to
// the resulting tree (new objects go to the store, pending until a flush).
// Tree-level members are edited through tree edits, rewriting only the trees
// on the path; a target inside a blob (an array, or something inside one) is
// read, changed in memory (value_ops_internal.h) and written back whole.
//
// Every path an operation wrote or read is recorded: a concurrent commit that
// changed any of them makes the transaction conflict (collides()).
//
// Thread-safety: one thread at a time; the store may be shared.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "operation_internal.h"

namespace gitstate {

// Where a path ends up in the stored state.
struct Location {
  enum class Kind {
    kTree,        // the path names an object member stored as a tree (or the root)
    kBlob,        // the path names a member stored as a blob
    kInsideBlob,  // a proper prefix of length `depth` is a blob; the rest is inside its value
    kMissing,     // the prefix of length `depth` is a tree without member path[depth]
  };
  Kind kind = Kind::kTree;
  size_t depth = 0;
  Node node;  // the tree or blob at `depth` (kMissing: the tree holding the gap)
};

// Walks `path` from `root` one member at a time. kCorrupt/kIO from the store.
Result<Location> locate(ObjectStore& store, const Oid& root, const Path& path);

// True when `a` equals `b` or one is a prefix of the other.
bool paths_overlap(const Path& a, const Path& b);

class WorkingState {
 public:
  WorkingState(ObjectStore& store, const Oid& root) : store_(&store), root_(root) {}

  const Oid& root() const { return root_; }

  // Applies `op`. On failure the root is unchanged and the error says why
  // (codes in transaction.h); the caller adds the operation's index.
  Status apply(const Operation& op);

  // The value at `path`, recorded as read. kNotFound / kCorrupt / kIO.
  Result<nlohmann::json> read(const Path& path);

  // Paths written or read so far (possibly with repeats).
  const std::vector<Path>& touched() const { return touched_; }

 private:
  enum class PutMode { kAdd, kReplace, kSet };
  Status put(const Path& path, nlohmann::json value, PutMode mode);
  Status erase(const Path& path);
  Status merge_patch(const nlohmann::json& patch);
  Status test(const Path& path, const nlohmann::json& expected);
  Status edit(const Path& path, std::optional<nlohmann::json> value, bool create_parents);
  Result<nlohmann::json> value_at(const Path& path);

  ObjectStore* store_;
  Oid root_;
  std::vector<Path> touched_;
};

}  // namespace gitstate
