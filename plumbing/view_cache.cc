#include "gitstate/plumbing/view_cache.h"

namespace gitstate {

ViewCache::ViewCache(size_t capacity) : capacity_(capacity) {}

size_t ViewCache::KeyHash::operator()(const Key& key) const {
  return OidHash()(key.source) ^ Digest128Hash()(key.perspective) ^ (key.mark_hidden ? 1 : 0);
}

std::optional<Oid> ViewCache::find(const Key& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++stats_.misses;
    return std::nullopt;
  }
  ++stats_.hits;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void ViewCache::insert(const Key& key, const Oid& view) {
  std::lock_guard lock(mu_);
  if (capacity_ == 0) return;
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->second = view;
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  if (order_.size() == capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
  order_.emplace_front(key, view);
  index_.emplace(key, order_.begin());
}

ViewCache::Stats ViewCache::stats() {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.entries = order_.size();
  return s;
}

Result<Oid> cached_view(ObjectStore& store, ViewCache& cache, const Oid& state_tree,
                        const ResolvedPerspective& perspective, FilterStats* stats) {
  if (stats) *stats = FilterStats{};
  ViewCache::Key key{state_tree, perspective.digest, perspective.filter.mark_hidden};
  if (std::optional<Oid> known = cache.find(key)) return *known;
  GITSTATE_ASSIGN_OR_RETURN(Oid view, filter_tree(store, state_tree, perspective.filter, stats));
  cache.insert(key, view);
  return view;
}

}  // namespace gitstate
