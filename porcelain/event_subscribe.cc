#include "event_bus_internal.h"
#include "gitstate/revision.h"
#include "repository_internal.h"

namespace gitstate {

Result<Subscription> subscribe(const Repository& repo, const SubscribeOptions& options,
                               EventCallback callback) {
  if (!callback) return invalid("subscribe: the callback is empty");
  if (options.delivery == Delivery::kAsync && options.queue_capacity == 0)
    return invalid("subscribe: an asynchronous subscription needs a queue capacity of at least 1");
  if (!options.branch.empty()) GITSTATE_RETURN_IF_ERROR(check_ref_name(options.branch, "branch"));
  auto filters = event_filters(options.glob, options.perspective, repo.perspective());
  if (!filters.is_ok()) return filters.status().with_context("subscribe");
  auto subscriber = std::make_shared<Subscription::Subscriber>();
  subscriber->branch = options.branch;
  subscriber->filters = std::move(filters).value();
  if (repo.perspective()) subscriber->bound = repo;
  subscriber->callback = std::move(callback);
  subscriber->delivery = options.delivery;
  subscriber->capacity = options.queue_capacity;
  const std::shared_ptr<EventBus>& bus = state_of(repo).events;
  bus->add(subscriber);
  return Subscription(bus, std::move(subscriber));
}

}  // namespace gitstate
