// Keyed arrays: arrays of objects merged element by element by identity
// (tree_merge.h, "Keyed arrays").
#include <list>
#include <unordered_set>

#include "gitstate/plumbing/codec.h"
#include "tree_merge_internal.h"

namespace gitstate::merge_internal {

namespace {
using json = nlohmann::json;

// The elements of one side's array, by identity token, in array order.
struct Elements {
  std::vector<std::string> order;
  std::unordered_map<std::string, const json*> by_token;

  OptJson get(const std::string& token) const {
    auto it = by_token.find(token);
    if (it == by_token.end()) return std::nullopt;
    return *it->second;
  }
};

// `key` "=" the string itself, or the canonical text of a number.
std::string identity_token(const std::string& key, const json& value) {
  if (value.is_string()) return key + "=" + value.get_ref<const std::string&>();
  std::string text = canonical_text(value);
  text.pop_back();  // the final '\n' of a blob's text
  return key + "=" + text;
}

// Indexes `array`, the array of `side`, into `out`; returns why it cannot
// merge as keyed by `key`, or "" when it can.
std::string index_elements(const json& array, const std::string& key, const char* side,
                           Elements& out) {
  for (size_t i = 0; i < array.size(); ++i) {
    const json& element = array[i];
    std::string which = "element " + std::to_string(i) + " of " + side;
    if (!element.is_object()) return which + " is not an object";
    auto id = element.find(key);
    if (id == element.end()) return which + " has no member '" + key + "'";
    if (!id->is_string() && !id->is_number())
      return which + " has a '" + key + "' that is neither a string nor a number";
    std::string token = identity_token(key, *id);
    if (!out.by_token.emplace(token, &element).second)
      return which + " repeats the identity " + token;
    out.order.push_back(std::move(token));
  }
  return "";
}

// Merges the element `token` of the three sides. Added on both sides with
// different contents is a conflict; otherwise the value rules apply.
Result<OptJson> merge_element(ValueMerger& merger, Path& path, const std::string& key,
                              const std::string& token, const OptJson& base, const OptJson& ours,
                              const OptJson& theirs) {
  const json& id = (ours ? *ours : theirs ? *theirs : *base).at(key);
  path.push_back(token);
  Result<OptJson> merged = !base && ours && theirs && !same_value(ours, theirs)
                               ? Result<OptJson>(merger.log().conflict(path, base, ours, theirs))
                               : merger.merge(path, base, ours, theirs);
  if (merged.is_ok() && *merged) {
    const json& element = **merged;
    if (!element.is_object() || !element.contains(key) || !same_value(element.at(key), id))
      merged =
          invalid("the value chosen for " + format_pointer(path) + " must be an object whose '" +
                  key + "' is " + id.dump() + ", the identity of that keyed-array element");
  }
  path.pop_back();
  return merged;
}

// The tokens of `side` that `other` holds too, in side's order.
std::vector<std::string> shared(const Elements& side, const Elements& other) {
  std::vector<std::string> out;
  for (const std::string& token : side.order) {
    if (other.by_token.count(token)) out.push_back(token);
  }
  return out;
}

// Did `side` change the relative order of the elements it shares with base?
bool reordered(const Elements& side, const Elements& base) {
  return shared(side, base) != shared(base, side);
}

// The order of the merged elements (tree_merge.h, "Keyed arrays").
std::vector<std::string> merged_order(const Elements& base, const Elements& ours,
                                      const Elements& theirs,
                                      const std::unordered_map<std::string, json>& merged) {
  bool theirs_lead = reordered(theirs, base) && !reordered(ours, base);
  const Elements& leading = theirs_lead ? theirs : ours;
  const Elements& other = theirs_lead ? ours : theirs;
  using Position = std::list<std::string>::iterator;
  std::list<std::string> out;
  std::unordered_map<std::string, Position> placed;
  for (const std::string& token : leading.order) {
    if (merged.count(token)) placed[token] = out.insert(out.end(), token);
  }
  // Past this index, nothing on the other side is in the leading order.
  size_t last_led = 0;
  for (size_t i = 0; i < other.order.size(); ++i) {
    if (placed.count(other.order[i])) last_led = i + 1;
  }
  std::optional<Position> predecessor;
  for (size_t i = 0; i < other.order.size(); ++i) {
    const std::string& token = other.order[i];
    if (auto it = placed.find(token); it != placed.end()) {
      predecessor = it->second;
      continue;
    }
    if (!merged.count(token)) continue;
    Position at = out.end();
    if (i < last_led) {
      at = predecessor ? std::next(*predecessor) : out.begin();
      while (at != out.end() && !other.by_token.count(*at)) ++at;
    }
    predecessor = placed[token] = out.insert(at, token);
  }
  return {out.begin(), out.end()};
}
}  // namespace

Result<OptJson> merge_keyed_array(ValueMerger& merger, Path& path, const std::string& key,
                                  const OptJson& base, const json& ours, const json& theirs) {
  static const json kNoElements = json::array();
  Elements base_elements, ours_elements, theirs_elements;
  std::string reason =
      index_elements(base && base->is_array() ? *base : kNoElements, key, "base", base_elements);
  if (reason.empty()) reason = index_elements(ours, key, "ours", ours_elements);
  if (reason.empty()) reason = index_elements(theirs, key, "theirs", theirs_elements);
  if (!reason.empty()) {
    merger.log().fallback(path, std::move(reason));
    return merger.log().conflict(path, base, ours, theirs);
  }
  std::unordered_map<std::string, json> merged;
  std::unordered_set<std::string> done;
  for (const Elements* side : {&base_elements, &ours_elements, &theirs_elements}) {
    for (const std::string& token : side->order) {
      if (!done.insert(token).second) continue;
      GITSTATE_ASSIGN_OR_RETURN(
          OptJson element, merge_element(merger, path, key, token, base_elements.get(token),
                                         ours_elements.get(token), theirs_elements.get(token)));
      if (element) merged.emplace(token, std::move(*element));
    }
  }
  json array = json::array();
  for (const std::string& token :
       merged_order(base_elements, ours_elements, theirs_elements, merged)) {
    array.push_back(std::move(merged.at(token)));
  }
  return OptJson(std::move(array));
}

}  // namespace gitstate::merge_internal
