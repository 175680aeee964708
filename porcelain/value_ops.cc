#include "value_ops_internal.h"

#include <charconv>
#include <limits>

namespace gitstate {

namespace {
using nlohmann::json;

std::string pointer_at(const Path& where, const Path& path, size_t length) {
  Path full = where;
  full.insert(full.end(), path.begin(), path.begin() + static_cast<std::ptrdiff_t>(length));
  std::string text = format_pointer(full);
  return text.empty() ? "the root" : text;
}

// Parses an RFC 6901 array index; "-" is not one.
Result<size_t> parse_index(const std::string& token, const Path& where, const Path& path,
                           size_t length) {
  bool digits = !token.empty() && token.size() <= 18 &&
                token.find_first_not_of("0123456789") == std::string::npos &&
                (token.size() == 1 || token[0] != '0');
  if (!digits)
    return invalid("'" + token + "' is not an array index at " + pointer_at(where, path, length));
  size_t index = 0;
  std::from_chars(token.data(), token.data() + token.size(), index);
  return index;
}

Status into_scalar(const json& value, const Path& where, const Path& path, size_t length) {
  return invalid("path " + pointer_at(where, path, path.size()) + " goes through " +
                 value_kind(value) + " at " + pointer_at(where, path, length));
}

// The container that holds the last token of `path`.
Result<json*> find_parent(json& doc, const Path& path, const Path& where) {
  Path parent(path.begin(), path.end() - 1);
  auto found = value_find(doc, parent, where);
  if (!found.is_ok()) {
    if (found.status().code() == Code::kNotFound)
      return not_found("parent " + pointer_at(where, path, path.size() - 1) + " does not exist");
    return found.status();
  }
  json* parent_value = const_cast<json*>(*found);
  if (!parent_value->is_object() && !parent_value->is_array())
    return into_scalar(*parent_value, where, path, path.size() - 1);
  return parent_value;
}

// Inserts (or, with `replace_existing`, replaces) at an array position.
Status array_put(json& array, const Path& path, json value, const Path& where,
                 bool replace_existing) {
  const std::string& token = path.back();
  size_t index = array.size();
  if (token != "-") {
    GITSTATE_ASSIGN_OR_RETURN(index, parse_index(token, where, path, path.size()));
    if (index > array.size())
      return invalid("index " + token + " is past the end of the array at " +
                     pointer_at(where, path, path.size() - 1) + " (size " +
                     std::to_string(array.size()) + ")");
  }
  if (replace_existing && index < array.size())
    array[index] = std::move(value);
  else
    array.insert(array.begin() + static_cast<std::ptrdiff_t>(index), std::move(value));
  return Status::ok();
}
}  // namespace

const char* value_kind(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::discarded:
      return "a discarded value";
    default:
      return "a number";
  }
}

Result<const json*> value_find(const json& doc, const Path& path, const Path& where) {
  const json* current = &doc;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& token = path[i];
    if (current->is_object()) {
      auto it = current->find(token);
      if (it == current->end())
        return not_found(pointer_at(where, path, i + 1) + " does not exist");
      current = &*it;
    } else if (current->is_array()) {
      if (token == "-") return not_found(pointer_at(where, path, i + 1) + " does not exist");
      GITSTATE_ASSIGN_OR_RETURN(size_t index, parse_index(token, where, path, i + 1));
      if (index >= current->size())
        return not_found(pointer_at(where, path, i + 1) + " does not exist (array size " +
                         std::to_string(current->size()) + ")");
      current = &(*current)[index];
    } else {
      return into_scalar(*current, where, path, i);
    }
  }
  return current;
}

Status value_add(json& doc, const Path& path, json value, const Path& where) {
  if (path.empty()) {
    doc = std::move(value);
    return Status::ok();
  }
  GITSTATE_ASSIGN_OR_RETURN(json * parent, find_parent(doc, path, where));
  if (parent->is_object()) {
    (*parent)[path.back()] = std::move(value);
    return Status::ok();
  }
  return array_put(*parent, path, std::move(value), where, false);
}

Status value_remove(json& doc, const Path& path, const Path& where) {
  GITSTATE_ASSIGN_OR_RETURN(json * parent, find_parent(doc, path, where));
  if (parent->is_object()) {
    if (parent->erase(path.back()) == 0)
      return not_found(pointer_at(where, path, path.size()) + " does not exist");
    return Status::ok();
  }
  const std::string& token = path.back();
  if (token == "-") return not_found(pointer_at(where, path, path.size()) + " does not exist");
  GITSTATE_ASSIGN_OR_RETURN(size_t index, parse_index(token, where, path, path.size()));
  if (index >= parent->size())
    return not_found(pointer_at(where, path, path.size()) + " does not exist (array size " +
                     std::to_string(parent->size()) + ")");
  parent->erase(index);
  return Status::ok();
}

Status value_replace(json& doc, const Path& path, json value, const Path& where) {
  GITSTATE_ASSIGN_OR_RETURN(const json* target, value_find(doc, path, where));
  *const_cast<json*>(target) = std::move(value);
  return Status::ok();
}

Status value_set(json& doc, const Path& path, json value, const Path& where) {
  json* current = &doc;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& token = path[i];
    bool last = i + 1 == path.size();
    if (current->is_object()) {
      auto it = current->find(token);
      if (last) {
        (*current)[token] = std::move(value);
        return Status::ok();
      }
      if (it == current->end()) it = current->emplace(token, json::object()).first;
      current = &*it;
    } else if (current->is_array()) {
      if (last) return array_put(*current, path, std::move(value), where, true);
      if (token == "-") return not_found(pointer_at(where, path, i + 1) + " does not exist");
      GITSTATE_ASSIGN_OR_RETURN(size_t index, parse_index(token, where, path, i + 1));
      if (index >= current->size())
        return not_found(pointer_at(where, path, i + 1) + " does not exist (array size " +
                         std::to_string(current->size()) + ")");
      current = &(*current)[index];
    } else {
      return into_scalar(*current, where, path, i);
    }
  }
  *current = std::move(value);
  return Status::ok();
}

}  // namespace gitstate
