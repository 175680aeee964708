#include "view_refresh_internal.h"

#include <algorithm>

#include "event_bus_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
constexpr size_t kQueueCapacity = 4;

// The state tree a head event leaves its branch at; nullopt for events that
// leave none (a deletion, a stopped merge) or a head that cannot be read.
std::optional<Oid> landed_tree(ObjectStore& store, const Event& event) {
  if (event.kind == EventKind::kCommit) return event.commit.tree;
  if (event.kind == EventKind::kBranchDeleted || event.kind == EventKind::kMergeStopped ||
      !event.new_head)
    return std::nullopt;
  auto commit = read_commit(store, *event.new_head);
  if (!commit.is_ok()) return std::nullopt;
  return commit->tree;
}
}  // namespace

ViewRefresh::ViewRefresh(std::weak_ptr<EventBus> bus, ObjectStore& store, ViewCache& cache)
    : bus_(std::move(bus)), store_(store), cache_(cache) {}

ViewRefresh::~ViewRefresh() {
  std::list<Followed> followed;
  {
    std::lock_guard lock(mutex_);
    followed.swap(followed_);
  }
}

void ViewRefresh::follow(const ResolvedPerspective& perspective) {
  ViewCache::Key key{Oid{}, perspective.digest, perspective.filter.mark_hidden};
  std::list<Followed> dropped;  // unsubscribed after the lock is released
  std::lock_guard lock(mutex_);
  if (std::any_of(followed_.begin(), followed_.end(),
                  [&](const Followed& followed) { return followed.key == key; }))
    return;
  std::shared_ptr<EventBus> bus = bus_.lock();
  if (!bus) return;
  auto subscriber = std::make_shared<Subscription::Subscriber>();
  subscriber->heads_only = true;
  subscriber->delivery = Delivery::kAsync;
  subscriber->capacity = kQueueCapacity;
  subscriber->callback = [&store = store_, &cache = cache_, perspective](const Event& event) {
    std::optional<Oid> tree = landed_tree(store, event);
    // A view that cannot be computed now is computed, and its error
    // reported, by the read that needs it.
    if (tree) static_cast<void>(cached_view(store, cache, *tree, perspective));
  };
  bus->add(subscriber);
  if (followed_.size() == kMaxFollowed) dropped.splice(dropped.end(), followed_, followed_.begin());
  followed_.push_back(Followed{key, Subscription(bus, std::move(subscriber))});
}

}  // namespace gitstate
