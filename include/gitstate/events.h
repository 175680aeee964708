// Events: in-process notifications of what happens to a repository's
// branches — commits, branches created, deleted or moved, merges finished or
// stopped at conflicts, syncs with remotes and adapters finished
// (docs/events.md).
//
// Every open repository has one event bus, shared by all copies of its
// Repository handle. subscribe() registers a callback for the commits that
// touch a PointerGlob (optionally on one branch, optionally seen through a
// perspective's filter) and for the branch and merge events of those
// branches; the returned Subscription unsubscribes when destroyed.
//
// Ordering and timing. Events of one branch get their order where its ref
// moves (under the repository's writer lock for commits), and are delivered
// to every subscriber in that order, also when several threads commit on the
// branch at once. An event is delivered only after its ref moved (a callback
// that reads the branch sees the new head or a later one) and the commit was
// made durable, and never while a gitstate lock is held, so a callback may
// read, commit, subscribe or unsubscribe.
//
// Delivery. kSync callbacks run on a committing thread of the process: the
// thread whose commit produced the event, unless another thread is already
// delivering that branch's events, which then delivers it too, in order.
// kAsync callbacks run on the subscription's own dispatcher thread, fed by a
// bounded queue: when the queue is full, further events are not queued but
// counted, and once the subscriber catches up it receives one kMissed event
// per branch naming the head before the first missed event and the head
// after the last one (catch up with `log`/`diff` between them). So a slow
// subscriber never blocks a commit or another subscriber, and never loses
// events without being told.
//
// A subscription made with a handle bound to a perspective
// (Repository::through) applies that perspective too and shows events as
// the handle's reads would: commits that change nothing visible are not
// delivered, commit trees are views, and every commit id is mapped to a
// visible commit (docs/events.md, "Bound handles").
//
// Commit deltas are computed only when some subscriber listens to the
// branch, once per commit, and restricted per subscriber to its glob and
// perspective; a commit whose restricted delta is empty is not delivered to
// that subscriber. Branch and merge events are delivered whatever the glob.
//
// Failures of callbacks. A callback that throws is caught; the exception is
// counted in the subscription's stats and nothing else changes (the commit
// stands, other subscribers get the event, later events are delivered).
//
// Thread-safety: subscribe() and Subscription may be used from any thread.
// A Subscription is movable, not copyable; destroying or reset()ting it
// unsubscribes: after that returns no callback of it runs or starts, except
// the one that unsubscribes from inside itself. A callback that keeps a copy
// of the Repository keeps the repository open until it is unsubscribed.
// Destroying every Repository handle while subscriptions live is safe: the
// bus stays as long as a subscription or handle does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/history.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/perspective_def.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

enum class EventKind {
  kCommit,         // a commit landed on `branch`: commit, patch
  kBranchCreated,  // new_head
  kBranchDeleted,  // old_head
  kBranchMoved,    // old_head -> new_head without new commits (fast-forward or reset)
  kMergeFinished,  // operation "merge": new_head is the merge commit or the fast-forward target
  kMergeStopped,   // a merge, revert or cherry-pick stopped at `conflicts`; the branch did not move
  kMissed,         // kAsync only: events on `branch` between old_head and new_head were dropped
  kSyncFinished,   // a pull, push or adapter sync of `branch` with `peer` finished (`operation`)
};

struct Event {
  EventKind kind = EventKind::kCommit;
  std::string branch;
  uint64_t sequence = 0;  // order of the branch's events in this process (gaps for filtered ones)
  CommitInfo commit;      // kCommit
  nlohmann::json patch = nlohmann::json::array();  // kCommit: RFC 6902, restricted
  std::optional<Oid> old_head, new_head;
  bool fast_forward = false;  // kBranchMoved, kMergeFinished: no commit was made
  // kMergeFinished, kMergeStopped: "merge", "revert", "cherry-pick";
  // kSyncFinished: "pull", "push", "sync"
  std::string operation;
  std::optional<Oid> source;  // kMergeFinished, kMergeStopped: the commit merged
  // kMergeStopped, kSyncFinished: conflicting paths (JSON Pointers) left open
  std::vector<std::string> conflicts;
  // kSyncFinished: the remote's name or the adapter's identity. old_head and
  // new_head are the branch before and after the sync (equal when it did not
  // move; the remote's branch for a push).
  std::string peer;
  uint64_t missed = 0;  // kMissed: how many events were dropped
};

enum class Delivery { kSync, kAsync };

struct SubscribeOptions {
  std::string glob = "/**";  // PointerGlob; a commit is delivered when its delta touches it
  std::string branch;        // empty: every branch
  // Seen through this filter as well (tree_filter.h visibility rules).
  std::optional<ResolvedPerspective> perspective;
  Delivery delivery = Delivery::kSync;
  size_t queue_capacity = 1024;  // kAsync: events queued before they are counted as missed
};

using EventCallback = std::function<void(const Event&)>;

struct SubscriptionStats {
  uint64_t delivered = 0;  // callbacks that returned
  uint64_t thrown = 0;     // callbacks that threw (caught)
  uint64_t missed = 0;     // kAsync: events dropped at a full queue (reported by kMissed)
};

class EventBus;

class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;
  ~Subscription();

  // Unsubscribes (see above). No-op when already done.
  void reset();

  // Counts so far. Never fails; zero for an empty Subscription.
  SubscriptionStats stats() const;

  // Internal: made by subscribe().
  struct Subscriber;
  Subscription(std::weak_ptr<EventBus> bus, std::shared_ptr<Subscriber> subscriber);

 private:
  std::weak_ptr<EventBus> bus_;
  std::shared_ptr<Subscriber> subscriber_;
};

// Registers `callback` as described above. kInvalid for a malformed glob or
// branch name, an empty callback or a zero queue capacity. The callback is
// called for events that happen after subscribe() returns.
Result<Subscription> subscribe(const Repository& repo, const SubscribeOptions& options,
                               EventCallback callback);

}  // namespace gitstate
