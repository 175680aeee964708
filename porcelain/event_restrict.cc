#include "event_bus_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

// True when a glob of `globs` matches `path` (`below`: can match at or below it).
bool any_glob(const std::vector<PointerGlob>& globs, const Path& path, bool below) {
  for (const PointerGlob& glob : globs)
    if (below ? glob.can_match_below(path) : glob.matches(path)) return true;
  return false;
}

// The part of `value` at `path` that `filter` shows (tree_filter.h rules);
// `included` when an include matched an ancestor. nullopt: nothing shows.
std::optional<json> visible_part(const Filter& filter, Path& path, const json& value,
                                 bool included) {
  if (any_glob(filter.exclude, path, false)) return std::nullopt;
  included = included || any_glob(filter.include, path, false);
  if (included && !any_glob(filter.exclude, path, true)) return value;  // nothing to cut
  if (!value.is_object()) return included ? std::optional<json>(value) : std::nullopt;
  if (!included && !any_glob(filter.include, path, true)) return std::nullopt;
  json out = json::object();
  for (const auto& [key, member] : value.items()) {
    path.push_back(key);
    if (auto part = visible_part(filter, path, member, included)) out[key] = std::move(*part);
    path.pop_back();
  }
  if (!included && out.empty()) return std::nullopt;
  return out;
}

std::optional<json> visible_side(const Filter& filter, const Path& path,
                                 const std::optional<json>& value, bool included) {
  if (!value) return std::nullopt;
  Path at = path;
  return visible_part(filter, at, *value, included);
}
}  // namespace

Result<std::vector<Filter>> event_filters(const std::string& glob,
                                          const std::optional<ResolvedPerspective>& perspective,
                                          const ResolvedPerspective* bound) {
  GITSTATE_ASSIGN_OR_RETURN(PointerGlob parsed, PointerGlob::parse(glob));
  std::vector<Filter> filters{Filter{{std::move(parsed)}, {}, false}};
  for (const ResolvedPerspective* seen : {perspective ? &*perspective : nullptr, bound}) {
    if (!seen) continue;
    filters.push_back(seen->filter);
    filters.back().mark_hidden = false;
  }
  return filters;
}

std::vector<Change> restrict_changes(const std::vector<Change>& changes, const Filter& filter) {
  std::vector<Change> out;
  for (const Change& change : changes) {
    // What the ancestors of the changed path decide.
    bool included = false, excluded = false;
    Path ancestor;
    for (const std::string& token : change.path) {
      included = included || any_glob(filter.include, ancestor, false);
      excluded = excluded || any_glob(filter.exclude, ancestor, false);
      ancestor.push_back(token);
    }
    if (excluded) continue;
    std::optional<json> before = visible_side(filter, change.path, change.old_value, included);
    std::optional<json> after = visible_side(filter, change.path, change.new_value, included);
    if (before == after) continue;
    Change seen{change.path, std::move(before), std::move(after), ChangeKind::kModified};
    if (!seen.old_value) seen.kind = ChangeKind::kAdded;
    if (!seen.new_value) seen.kind = ChangeKind::kRemoved;
    out.push_back(std::move(seen));
  }
  return out;
}

}  // namespace gitstate
