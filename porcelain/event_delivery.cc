#include <algorithm>

#include "event_bus_internal.h"

namespace gitstate {

namespace {
// Calls the callback with the subscriber's mutex released (`lock` holds it
// on entry and on return); counts the outcome.
void call(Subscription::Subscriber& subscriber, std::unique_lock<std::mutex>& lock,
          const Event& event) {
  auto self = std::this_thread::get_id();
  subscriber.running.push_back(self);
  lock.unlock();
  bool threw = false;
  try {
    subscriber.callback(event);
  } catch (...) {
    threw = true;
  }
  lock.lock();
  subscriber.running.erase(std::find(subscriber.running.begin(), subscriber.running.end(), self));
  ++(threw ? subscriber.stats.thrown : subscriber.stats.delivered);
  subscriber.changed.notify_all();
}

// The whole delta of `published`, computed on first use; null when it cannot
// be read.
const std::vector<Change>* whole_delta(PublishedEvent& published) {
  if (!published.changes && !published.delta_failed) {
    auto changes = published.delta();
    published.delta_failed = !changes.is_ok();
    if (changes.is_ok())
      published.changes = std::make_shared<const std::vector<Change>>(std::move(changes).value());
  }
  return published.changes.get();
}

// The event as `subscriber` sees it; nullopt for a commit it does not see.
std::optional<Event> restricted(const Subscription::Subscriber& subscriber,
                                PublishedEvent& published) {
  Event event = published.event;
  if (subscriber.heads_only) return event;
  if (event.kind == EventKind::kCommit) {
    const std::vector<Change>* whole = whole_delta(published);
    if (!whole) return std::nullopt;
    std::vector<Change> changes = *whole;
    for (const Filter& filter : subscriber.filters) changes = restrict_changes(changes, filter);
    if (changes.empty()) return std::nullopt;
    event.patch = to_json_patch(changes);
  }
  if (subscriber.bound) return seen_event(*subscriber.bound, std::move(event));
  return event;
}

// Moves the pending kMissed events (one per branch) to the end of the queue.
void queue_missed(Subscription::Subscriber& subscriber) {
  for (auto& [branch, missed] : subscriber.missed) subscriber.queue.push_back(std::move(missed));
  subscriber.missed.clear();
}

// Queues `event` for the dispatcher, or counts it in the branch's kMissed
// event when the queue is full. Missed events are queued, ahead of the next
// event, once there is room again.
void enqueue(Subscription::Subscriber& subscriber, Event event) {
  if (subscriber.queue.size() >= subscriber.capacity) {
    ++subscriber.stats.missed;
    auto [it, first] = subscriber.missed.try_emplace(event.branch);
    Event& missed = it->second;
    if (first) {
      missed.kind = EventKind::kMissed;
      missed.branch = event.branch;
      missed.sequence = event.sequence;
      missed.old_head = event.old_head;
    }
    missed.new_head = event.new_head;
    ++missed.missed;
    return;
  }
  queue_missed(subscriber);
  subscriber.queue.push_back(std::move(event));
  subscriber.changed.notify_all();
}
}  // namespace

void deliver(Subscription::Subscriber& subscriber, PublishedEvent& published) {
  std::optional<Event> event = restricted(subscriber, published);
  if (!event) return;
  std::unique_lock lock(subscriber.mutex);
  if (!subscriber.active) return;
  if (subscriber.delivery == Delivery::kAsync) {
    enqueue(subscriber, std::move(*event));
  } else {
    call(subscriber, lock, *event);
  }
}

void run_dispatcher(const std::shared_ptr<Subscription::Subscriber>& subscriber) {
  std::unique_lock lock(subscriber->mutex);
  while (true) {
    subscriber->changed.wait(lock, [&] {
      return !subscriber->active || !subscriber->queue.empty() || !subscriber->missed.empty();
    });
    if (!subscriber->active) return;
    if (subscriber->queue.empty()) queue_missed(*subscriber);
    Event event = std::move(subscriber->queue.front());
    subscriber->queue.pop_front();
    call(*subscriber, lock, event);
  }
}

}  // namespace gitstate
