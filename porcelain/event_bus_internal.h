// EventBus: the per-repository registry of subscribers and the per-branch
// ordering of events (events.h, docs/events.md).
//
// Publishing is two steps. Where a ref moves (under the writer lock for
// commits), reserve() hands out the next sequence numbers of the branch, but
// only when someone listens to it; with no subscriber a commit pays one
// atomic load. After the move is durable and every lock is released,
// publish() hands over the events for those numbers (nullopt for a number
// whose event could not be made). Events are delivered per branch in
// sequence order by whichever publishing thread finds the next one ready.
//
// Thread-safety: every member may be called from any thread; callbacks run
// with no lock of the bus held.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gitstate/events.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/tree_filter.h"

namespace gitstate {

// An event as published: a commit event carries how to compute its whole
// delta, which each subscriber restricts to its filters. The delta is
// computed once, by the first delivery that needs it (subscribers that only
// follow heads do not), on the publishing thread.
struct PublishedEvent {
  Event event;
  std::function<Result<std::vector<Change>>()> delta;  // kCommit only
  std::shared_ptr<const std::vector<Change>> changes;  // delta's result, once computed
  bool delta_failed = false;                           // the delta could not be read
};

struct Subscription::Subscriber {
  std::string branch;  // empty: every branch
  std::vector<Filter> filters;
  // Subscribed through a handle bound to a perspective: events are shown as
  // that handle sees history (perspective_internal.h).
  std::optional<Repository> bound;
  // Follows heads only: every event of its branches, commits without a
  // delta (Event::patch stays empty), no filter applied.
  bool heads_only = false;
  EventCallback callback;
  Delivery delivery = Delivery::kSync;
  size_t capacity = 0;

  std::mutex mutex;
  std::condition_variable changed;
  bool active = true;
  std::vector<std::thread::id> running;  // threads inside the callback
  SubscriptionStats stats;
  // kAsync
  std::deque<Event> queue;
  std::map<std::string, Event> missed;  // per branch: the kMissed event to send
  std::thread dispatcher;
};

class EventBus {
 public:
  EventBus() = default;
  EventBus(const EventBus&) = delete;
  EventBus& operator=(const EventBus&) = delete;
  // Unsubscribes everyone (async dispatchers stopped and joined).
  ~EventBus();

  // Adds `subscriber` (its dispatcher started for kAsync).
  void add(const std::shared_ptr<Subscription::Subscriber>& subscriber);

  // Removes `subscriber` and waits until none of its callbacks runs, except
  // on the calling thread.
  void remove(const std::shared_ptr<Subscription::Subscriber>& subscriber);

  // The first of `count` sequence numbers reserved on `branch`, or nullopt
  // (nothing reserved) when no subscriber listens to it.
  std::optional<uint64_t> reserve(const std::string& branch, size_t count);

  // True when some subscriber listens to `branch`. Cheap with none at all.
  bool listening(const std::string& branch);

  // Hands over the events for the numbers reserved from `first` (one per
  // number) and delivers every event of the branch that is next in order.
  void publish(const std::string& branch, uint64_t first,
               std::vector<std::optional<PublishedEvent>> events);

 private:
  struct BranchOrder {
    uint64_t next_reserved = 0;
    uint64_t next_delivered = 0;
    std::map<uint64_t, std::optional<PublishedEvent>> ready;
    bool delivering = false;
  };

  std::vector<std::shared_ptr<Subscription::Subscriber>> listeners(const std::string& branch);

  std::mutex mutex_;
  std::atomic<size_t> count_{0};
  std::vector<std::shared_ptr<Subscription::Subscriber>> subscribers_;
  std::map<std::string, BranchOrder> branches_;
};

// Delivers `event` to `subscriber`: restricted to its filters (a commit left
// with an empty delta, or whose delta cannot be read, is dropped), then
// called at once (kSync) or queued (kAsync). Callback exceptions are caught
// and counted. Computes event.changes when the subscriber needs them first.
void deliver(Subscription::Subscriber& subscriber, PublishedEvent& event);

// `event` as the bound handle `repo` sees it: commit ids mapped to their
// visible commits, the commit's tree to its view, conflicts cut to visible
// paths; nullopt for a commit that changes nothing visible. An id that cannot
// be mapped (history unreadable) is left out rather than shown unmapped.
std::optional<Event> seen_event(const Repository& repo, Event event);

// Runs the async dispatcher of `subscriber` until it is removed.
void run_dispatcher(const std::shared_ptr<Subscription::Subscriber>& subscriber);

// The filters a subscription or watch applies: `glob` as an include, then
// the filter of `perspective` and of `bound` (the perspective of the handle
// subscribing, null when unbound), each without hidden markers. kInvalid
// for a malformed glob.
Result<std::vector<Filter>> event_filters(const std::string& glob,
                                          const std::optional<ResolvedPerspective>& perspective,
                                          const ResolvedPerspective* bound);

// `changes` as seen through `filter` (the visibility rules of
// tree_filter.h applied to the changed values): changes outside it dropped,
// values inside it cut down to their visible members. Never fails.
std::vector<Change> restrict_changes(const std::vector<Change>& changes, const Filter& filter);

}  // namespace gitstate
