// Tree diff: the changes between two states, at a cost that follows the change.
//
// diff_trees() walks two state trees side by side and skips every subtree
// whose id is equal on both sides, so two versions of a huge state that differ
// in ten leaves cost about ten root-to-leaf paths. A change is reported at the
// deepest path where both sides hold objects: a member that was added or
// removed, or whose value changed while not being an object on both sides
// (a scalar or array changed, or the type changed), is one Change carrying
// the whole old and new values. Fanout buckets are compared bucket by bucket
// when both sides fan out at the same level; callers only ever see members.
//
// to_json_patch() turns changes into an RFC 6902 document.
//
// Thread-safety: pure functions over an ObjectStore (itself thread-safe).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

enum class ChangeKind {
  kAdded,     // absent before, present after
  kRemoved,   // present before, absent after
  kModified,  // present on both sides, different (a value or its type changed)
};

struct Change {
  Path path;
  std::optional<nlohmann::json> old_value, new_value;  // nullopt = absent (or not asked for)
  ChangeKind kind = ChangeKind::kModified;
};

// Work done by one diff, to show that its cost follows the change.
struct DiffStats {
  size_t trees_read = 0;        // trees (including fanout buckets) read
  size_t entries_compared = 0;  // entry pairs examined while aligning trees
};

struct DiffOptions {
  Path under;               // only report changes at or below this path
  bool with_values = true;  // false: leave old_value/new_value nullopt; `kind` still says what
};

// The changes that turn the state `old_root` into `new_root`, sorted by path
// (lexicographically by tokens). With options.under, only the subtree there
// is compared; when it is an object on neither side or just one, the single
// Change is at `under` itself (a path through a scalar counts as absent).
// `stats`, when given, receives the work done. kCorrupt for malformed trees
// or blobs; kNotFound/kIO from the store.
Result<std::vector<Change>> diff_trees(ObjectStore& store, const Oid& old_root, const Oid& new_root,
                                       const DiffOptions& options = {}, DiffStats* stats = nullptr);

// The RFC 6902 patch for `changes`: "add", "remove" or "replace" per change,
// in order. The op follows the values when present (old only: remove; new
// only: add; both: replace) and `kind` otherwise. For changes from
// diff_trees(old, new) with values, nlohmann::json::patch applied to the old
// state gives the new state. Changes without values give ops without "value",
// which describe the change but cannot be applied. Never fails.
nlohmann::json to_json_patch(const std::vector<Change>& changes);

}  // namespace gitstate
