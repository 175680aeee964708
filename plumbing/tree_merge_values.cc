// The three-way merge of JSON values (rules 1-5 of tree_merge.h).
#include <set>

#include "tree_merge_internal.h"

namespace gitstate::merge_internal {

namespace {
using json = nlohmann::json;

bool is_object(const OptJson& value) { return value && value->is_object(); }
bool is_array(const OptJson& value) { return value && value->is_array(); }

// The member `key` of `object`, when `object` is an object that has it.
OptJson member(const json* object, const std::string& key) {
  if (!object || !object->is_object()) return std::nullopt;
  auto it = object->find(key);
  if (it == object->end()) return std::nullopt;
  return *it;
}
}  // namespace

Result<OptJson> ValueMerger::merge(Path& path, const OptJson& base, const OptJson& ours,
                                   const OptJson& theirs) {
  if (same_value(ours, theirs) || same_value(base, theirs)) return ours;
  if (same_value(base, ours)) return theirs;
  if (is_object(ours) && is_object(theirs)) return merge_objects(path, base, *ours, *theirs);
  if (is_array(ours) && is_array(theirs)) {
    for (const KeyedArray& keyed : options_.keyed_arrays) {
      if (keyed.pattern.matches(path))
        return merge_keyed_array(*this, path, keyed.key, base, *ours, *theirs);
    }
  }
  return log_.conflict(path, base, ours, theirs);
}

Result<OptJson> ValueMerger::merge_objects(Path& path, const OptJson& base, const json& ours,
                                           const json& theirs) {
  const json* base_object = is_object(base) ? &*base : nullptr;
  std::set<std::string> keys;
  for (const json* object : {base_object, &ours, &theirs}) {
    if (!object) continue;
    for (auto it = object->begin(); it != object->end(); ++it) keys.insert(it.key());
  }
  json merged = json::object();
  for (const std::string& key : keys) {
    path.push_back(key);
    auto value = merge(path, member(base_object, key), member(&ours, key), member(&theirs, key));
    path.pop_back();
    if (!value.is_ok()) return value.status();
    if (*value) merged[key] = std::move(**value);
  }
  return OptJson(std::move(merged));
}

}  // namespace gitstate::merge_internal
