#include "event_bus_internal.h"

#include <algorithm>

namespace gitstate {

namespace {
// Stops `subscriber` and waits until no callback of it runs, except on this
// thread; an async dispatcher is joined (detached when it is this thread).
void stop(Subscription::Subscriber& subscriber) {
  std::thread dispatcher;
  {
    std::unique_lock lock(subscriber.mutex);
    subscriber.active = false;
    subscriber.queue.clear();
    subscriber.changed.notify_all();
    auto self = std::this_thread::get_id();
    subscriber.changed.wait(lock, [&] {
      return std::all_of(subscriber.running.begin(), subscriber.running.end(),
                         [&](const std::thread::id& id) { return id == self; });
    });
    dispatcher = std::move(subscriber.dispatcher);
  }
  if (!dispatcher.joinable()) return;
  if (dispatcher.get_id() == std::this_thread::get_id()) {
    dispatcher.detach();
  } else {
    dispatcher.join();
  }
}
}  // namespace

EventBus::~EventBus() {
  std::vector<std::shared_ptr<Subscription::Subscriber>> all;
  {
    std::lock_guard lock(mutex_);
    all.swap(subscribers_);
    count_ = 0;
  }
  for (auto& subscriber : all) stop(*subscriber);
}

void EventBus::add(const std::shared_ptr<Subscription::Subscriber>& subscriber) {
  if (subscriber->delivery == Delivery::kAsync)
    subscriber->dispatcher = std::thread(run_dispatcher, subscriber);
  std::lock_guard lock(mutex_);
  subscribers_.push_back(subscriber);
  ++count_;
}

void EventBus::remove(const std::shared_ptr<Subscription::Subscriber>& subscriber) {
  {
    std::lock_guard lock(mutex_);
    auto it = std::find(subscribers_.begin(), subscribers_.end(), subscriber);
    if (it == subscribers_.end()) return;
    subscribers_.erase(it);
    --count_;
  }
  stop(*subscriber);
}

bool EventBus::listening(const std::string& branch) {
  if (count_.load(std::memory_order_acquire) == 0) return false;
  return !listeners(branch).empty();
}

std::vector<std::shared_ptr<Subscription::Subscriber>> EventBus::listeners(
    const std::string& branch) {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Subscription::Subscriber>> out;
  for (const auto& subscriber : subscribers_)
    if (subscriber->branch.empty() || subscriber->branch == branch) out.push_back(subscriber);
  return out;
}

std::optional<uint64_t> EventBus::reserve(const std::string& branch, size_t count) {
  if (count == 0 || !listening(branch)) return std::nullopt;
  std::lock_guard lock(mutex_);
  BranchOrder& order = branches_[branch];
  uint64_t first = order.next_reserved;
  order.next_reserved += count;
  return first;
}

void EventBus::publish(const std::string& branch, uint64_t first,
                       std::vector<std::optional<PublishedEvent>> events) {
  std::unique_lock lock(mutex_);
  BranchOrder& order = branches_[branch];
  for (size_t i = 0; i < events.size(); ++i) order.ready[first + i] = std::move(events[i]);
  // Another thread delivering this branch (or this one, from inside a
  // callback) delivers these too, in order.
  if (order.delivering) return;
  order.delivering = true;
  while (!order.ready.empty() && order.ready.begin()->first == order.next_delivered) {
    std::optional<PublishedEvent> next = std::move(order.ready.begin()->second);
    order.ready.erase(order.ready.begin());
    ++order.next_delivered;
    if (!next) continue;
    lock.unlock();
    for (const auto& subscriber : listeners(branch)) deliver(*subscriber, *next);
    lock.lock();
  }
  order.delivering = false;
}

Subscription::Subscription(std::weak_ptr<EventBus> bus, std::shared_ptr<Subscriber> subscriber)
    : bus_(std::move(bus)), subscriber_(std::move(subscriber)) {}

Subscription::Subscription(Subscription&& other) noexcept = default;

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    bus_ = std::move(other.bus_);
    subscriber_ = std::move(other.subscriber_);
  }
  return *this;
}

Subscription::~Subscription() { reset(); }

void Subscription::reset() {
  if (!subscriber_) return;
  if (auto bus = bus_.lock()) bus->remove(subscriber_);
  subscriber_.reset();
  bus_.reset();
}

SubscriptionStats Subscription::stats() const {
  if (!subscriber_) return {};
  std::lock_guard lock(subscriber_->mutex);
  return subscriber_->stats;
}

}  // namespace gitstate
