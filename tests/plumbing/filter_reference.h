// The reference semantics of tree_filter.h on plain nlohmann values: what
// filter_tree must return, spelled out member by member without any of its
// shortcuts. Shared by the filter tests; not thread-safe (one store each).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_filter.h"

namespace gitstate::test {

inline bool any_glob_matches(const std::vector<PointerGlob>& globs, const Path& path) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const PointerGlob& glob) { return glob.matches(path); });
}

// The view of `value` at `path` under a parent that is visible or not.
inline std::optional<nlohmann::json> reference_view(const nlohmann::json& value, Path& path,
                                                    bool parent_included, const Filter& filter) {
  bool included = parent_included || any_glob_matches(filter.include, path);
  if (any_glob_matches(filter.exclude, path)) {
    if (filter.mark_hidden && included && value.is_object()) {
      ObjectStore scratch(make_memory_backend());
      return nlohmann::json(hidden_marker(write_value(scratch, value).value().oid));
    }
    return std::nullopt;
  }
  if (!value.is_object()) return included ? std::optional<nlohmann::json>(value) : std::nullopt;
  nlohmann::json out = nlohmann::json::object();
  for (auto it = value.begin(); it != value.end(); ++it) {
    path.push_back(it.key());
    std::optional<nlohmann::json> member = reference_view(it.value(), path, included, filter);
    path.pop_back();
    if (member) out[it.key()] = std::move(*member);
  }
  if (!included && out.empty()) return std::nullopt;
  return out;
}

// The state `state` as seen through `filter`.
inline nlohmann::json filter_json(const nlohmann::json& state, const Filter& filter) {
  Path root;
  if (any_glob_matches(filter.exclude, root)) return nlohmann::json::object();
  return reference_view(state, root, false, filter).value_or(nlohmann::json::object());
}

// A filter from glob texts. Precondition: the texts are valid patterns.
inline Filter make_filter(const std::vector<std::string>& include,
                          const std::vector<std::string>& exclude = {}, bool mark_hidden = false) {
  Filter filter;
  for (const std::string& text : include)
    filter.include.push_back(PointerGlob::parse(text).value());
  for (const std::string& text : exclude)
    filter.exclude.push_back(PointerGlob::parse(text).value());
  filter.mark_hidden = mark_hidden;
  return filter;
}

}  // namespace gitstate::test
