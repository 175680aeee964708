// View cache: the views already computed, so that a repeated view of the same
// revision is a lookup.
//
// A view is a function of the source state's tree id, the perspective's
// resolved digest (which covers every definition in its chain) and whether
// hidden members are marked, so those three make the key and an entry never
// goes stale. The cache holds at most `capacity` entries and forgets the
// least recently used first. Cached ids name trees written to one object
// store: use one cache per store (the view's trees may still be pending
// there, unflushed).
//
// Thread-safety: all members may be called from several threads at once.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "gitstate/plumbing/digest.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/perspective_def.h"
#include "gitstate/plumbing/tree_filter.h"
#include "gitstate/result.h"

namespace gitstate {

class ViewCache {
 public:
  struct Key {
    Oid source;             // the state tree viewed
    Digest128 perspective;  // ResolvedPerspective::digest
    bool mark_hidden = false;

    bool operator==(const Key&) const = default;
  };

  struct Stats {
    size_t hits = 0, misses = 0, entries = 0;
  };

  // A cache of at most `capacity` views; 0 remembers nothing.
  explicit ViewCache(size_t capacity = 1024);

  // The view tree remembered for `key` (now the most recently used), or
  // nullopt.
  std::optional<Oid> find(const Key& key);
  // Remembers `view` for `key`, forgetting the least recently used entry
  // when full.
  void insert(const Key& key, const Oid& view);

  size_t capacity() const { return capacity_; }
  Stats stats();

 private:
  struct KeyHash {
    size_t operator()(const Key& key) const;
  };
  using Order = std::list<std::pair<Key, Oid>>;  // most recently used first

  std::mutex mu_;
  const size_t capacity_;
  Order order_;
  std::unordered_map<Key, Order::iterator, KeyHash> index_;
  Stats stats_;
};

// The view of `state_tree` through `perspective` (its filter, marking hidden
// members when perspective.filter.mark_hidden): from `cache` when known,
// otherwise computed with filter_tree into `store` and remembered. `stats`,
// when given, receives filter_tree's work (all zero on a hit). Failures as
// filter_tree; nothing is remembered then.
Result<Oid> cached_view(ObjectStore& store, ViewCache& cache, const Oid& state_tree,
                        const ResolvedPerspective& perspective, FilterStats* stats = nullptr);

}  // namespace gitstate
