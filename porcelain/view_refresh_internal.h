// ViewRefresh: the views of a perspective kept warm from the event bus.
//
// Views are cached by (state tree id, perspective digest), so a cached view
// never goes stale, but a new head's view is not in the cache until someone
// computes it. The first time a view of a perspective is computed on an open
// repository, ViewRefresh subscribes to the repository's event bus for it
// (asynchronous delivery, heads only, every branch). For each head that lands
// in this process after that (commit, fast-forward, merge, new branch), its
// dispatcher thread computes the head's view into the repository's ViewCache,
// so the next read through the perspective finds it there. Nothing polls, and
// the committing thread never waits for it: under a burst of commits the
// bounded queue overflows into one kMissed event per branch and only the
// latest head is computed. Heads moved by other processes are not announced
// here (their views are computed on first read, as without ViewRefresh).
//
// Thread-safety: follow() may be called from any thread.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <utility>

#include "gitstate/events.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/perspective_def.h"
#include "gitstate/plumbing/view_cache.h"

namespace gitstate {

class ViewRefresh {
 public:
  // At most this many perspectives are followed; the one followed longest
  // ago is dropped first (its views are then computed on first read again).
  static constexpr size_t kMaxFollowed = 8;

  // Refreshes views in `cache`, written to `store`, from the events of `bus`.
  // `store` and `cache` must outlive this object.
  ViewRefresh(std::weak_ptr<EventBus> bus, ObjectStore& store, ViewCache& cache);
  ViewRefresh(const ViewRefresh&) = delete;
  ViewRefresh& operator=(const ViewRefresh&) = delete;
  // Unsubscribes: no refresh runs once it returns.
  ~ViewRefresh();

  // Starts refreshing the views of `perspective` (marking hidden members as
  // its filter says), unless that is already done. Never fails: when the
  // bus is gone nothing is refreshed.
  void follow(const ResolvedPerspective& perspective);

 private:
  struct Followed {
    ViewCache::Key key;  // source unused: the perspective and marking
    Subscription subscription;
  };

  std::weak_ptr<EventBus> bus_;
  ObjectStore& store_;
  ViewCache& cache_;
  std::mutex mutex_;
  std::list<Followed> followed_;  // oldest first
};

}  // namespace gitstate
