// Events as a handle bound to a perspective sees them: no commit id, tree or
// path it could not learn through that handle's reads (repository.h).
#include "event_bus_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
std::optional<Oid> seen_id(const Repository& repo, const std::optional<Oid>& id) {
  if (!id) return std::nullopt;
  auto visible = visible_commit(repo, *id);
  if (!visible.is_ok()) return std::nullopt;
  return *visible;
}
}  // namespace

std::optional<Event> seen_event(const Repository& repo, Event event) {
  if (event.kind == EventKind::kCommit) {
    auto commit = read_commit(repo.objects(), event.commit.id);
    if (!commit.is_ok()) return std::nullopt;
    auto seen = seen_commit(repo, event.commit.id, *commit);
    if (!seen.is_ok() || !*seen) return std::nullopt;
    event.commit = std::move(**seen);
  }
  event.old_head = seen_id(repo, event.old_head);
  event.new_head = seen_id(repo, event.new_head);
  event.source = seen_id(repo, event.source);
  const Filter& filter = repo.perspective()->filter;
  std::erase_if(event.conflicts, [&](const std::string& pointer) {
    auto path = parse_pointer(pointer);
    return !path.is_ok() || !path_may_hold_visible(filter, *path);
  });
  return event;
}

}  // namespace gitstate
