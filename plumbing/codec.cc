#include "gitstate/plumbing/codec.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "codec_internal.h"
#include "fanout_internal.h"
#include "utf8_internal.h"

namespace gitstate {

namespace {
using json = nlohmann::json;

std::string at(const Path& path) {
  return path.empty() ? "at the root" : "at " + format_pointer(path);
}

Status too_deep(const Path& where) {
  return invalid("value " + at(where) + " nests deeper than " + std::to_string(kMaxDepth) +
                 " levels");
}

// Checks what canonical_text cannot reject: strings and keys are UTF-8,
// numbers are finite, no binary data, nesting within kMaxDepth.
Status validate_blob_value(const json& value, Path& where, size_t depth) {
  switch (value.type()) {
    case json::value_t::object:
    case json::value_t::array: {
      if (depth + 1 > kMaxDepth) return too_deep(where);
      size_t index = 0;
      for (auto it = value.begin(); it != value.end(); ++it, ++index) {
        if (value.is_object() && !utf8::is_valid(it.key()))
          return invalid("a key " + at(where) + " is not valid UTF-8");
        where.push_back(value.is_object() ? it.key() : std::to_string(index));
        GITSTATE_RETURN_IF_ERROR(validate_blob_value(it.value(), where, depth + 1));
        where.pop_back();
      }
      return Status::ok();
    }
    case json::value_t::string:
      if (!utf8::is_valid(value.get_ref<const std::string&>()))
        return invalid("the string " + at(where) + " is not valid UTF-8");
      return Status::ok();
    case json::value_t::number_float:
      if (!std::isfinite(value.get<double>()))
        return invalid("the number " + at(where) + " is not finite; JSON has no NaN or Infinity");
      return Status::ok();
    case json::value_t::binary:
    case json::value_t::discarded:
      return invalid("the value " + at(where) + " is not JSON");
    default:
      return Status::ok();
  }
}

Result<json> read_blob_value(ObjectStore& store, const Oid& id, size_t depth) {
  GITSTATE_ASSIGN_OR_RETURN(Object object, store.read(id));
  if (object.type != ObjectType::kBlob)
    return corrupt("object " + id.hex() + " is a " + object_type_name(object.type) +
                   ", not a blob");
  if (object.data.size() > kMaxBlobBytes)
    return corrupt("blob " + id.hex() + " is " + std::to_string(object.data.size()) +
                   " bytes; gitstate never writes a value over " + std::to_string(kMaxBlobBytes));
  auto value = codec_internal::parse_json_limited(object.data, kMaxDepth - depth);
  if (!value.is_ok()) return corrupt("blob " + id.hex() + ": " + value.status().message());
  if (value->is_object())
    return corrupt("blob " + id.hex() + " holds an object; objects are trees");
  if (canonical_text(*value) != object.data)
    return corrupt("blob " + id.hex() + " is not canonical JSON text");
  return value;
}

// The index an RFC 6901 token names in an array of `size`, if any.
std::optional<size_t> array_index(const std::string& token, size_t size) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  size_t index = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (ec != std::errc() || end != token.data() + token.size() || index >= size) return std::nullopt;
  return index;
}
}  // namespace

namespace codec_internal {
Result<Node> node_of(const TreeEntry& entry) {
  if (entry.mode != kModeTree && entry.mode != kModeBlob)
    return corrupt("tree entry '" + entry.name + "' has mode " + std::to_string(entry.mode) +
                   ", which gitstate never writes");
  return Node{entry.mode, entry.oid};
}

std::string describe_blob(ObjectStore& store, const Oid& blob) {
  auto object = store.read(blob);
  if (!object.is_ok() || object->data.empty()) return "a scalar or array";
  return object->data[0] == '[' ? "an array" : "a scalar";
}

Result<Node> write_value_at(ObjectStore& store, const json& value, Path& where, size_t depth) {
  if (!value.is_object()) {
    GITSTATE_RETURN_IF_ERROR(validate_blob_value(value, where, depth));
    std::string text = canonical_text(value);
    if (text.size() > kMaxBlobBytes)
      return invalid("the value " + at(where) + " is " + std::to_string(text.size()) +
                     " bytes as canonical JSON; the limit for one scalar or array is " +
                     std::to_string(kMaxBlobBytes) + " (store large data as an object)");
    return Node{kModeBlob, store.write(ObjectType::kBlob, std::move(text))};
  }
  if (depth + 1 > kMaxDepth) return too_deep(where);
  std::vector<fanout::Member> members;
  members.reserve(value.size());
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    if (!utf8::is_valid(key)) return invalid("a key " + at(where) + " is not valid UTF-8");
    std::string name = escape_key(key);
    where.push_back(key);
    if (name.size() > kMaxKeyBytes)
      return invalid("the key " + at(where) + " is " + std::to_string(name.size()) +
                     " bytes escaped; the limit is " + std::to_string(kMaxKeyBytes));
    GITSTATE_ASSIGN_OR_RETURN(Node child, write_value_at(store, it.value(), where, depth + 1));
    where.pop_back();
    members.push_back({TreeEntry{std::move(name), child.mode, child.oid}, fanout::key_hash(key)});
  }
  return Node{kModeTree, fanout::write_node(store, members, 0)};
}

Result<json> read_value_at(ObjectStore& store, const Node& node, size_t depth) {
  if (!node.is_tree()) return read_blob_value(store, node.oid, depth);
  if (depth + 1 > kMaxDepth)
    return corrupt("tree " + node.oid.hex() + " nests deeper than " + std::to_string(kMaxDepth) +
                   " levels");
  std::vector<fanout::StoredMember> members;
  GITSTATE_RETURN_IF_ERROR(fanout::collect_members(store, node.oid, members));
  json object = json::object();
  for (auto& member : members) {
    GITSTATE_ASSIGN_OR_RETURN(Node child, node_of(member.entry));
    GITSTATE_ASSIGN_OR_RETURN(json value, read_value_at(store, child, depth + 1));
    object[std::move(member.key)] = std::move(value);
  }
  return object;
}
}  // namespace codec_internal

Result<Node> write_value(ObjectStore& store, const nlohmann::json& value) {
  Path where;
  return codec_internal::write_value_at(store, value, where, 0);
}

Result<Oid> write_state(ObjectStore& store, const nlohmann::json& root) {
  if (!root.is_object())
    return invalid(std::string("a state must be a JSON object, not ") + root.type_name());
  GITSTATE_ASSIGN_OR_RETURN(Node node, write_value(store, root));
  return node.oid;
}

Result<nlohmann::json> read_value(ObjectStore& store, const Node& node) {
  return codec_internal::read_value_at(store, node, 0);
}

Result<std::optional<Node>> lookup(ObjectStore& store, const Oid& root_tree, const Path& path) {
  if (path.size() > kMaxDepth)
    return invalid("path has more than " + std::to_string(kMaxDepth) + " tokens");
  Node node{kModeTree, root_tree};
  for (size_t i = 0; i < path.size(); ++i) {
    if (!node.is_tree()) {
      Path through(path.begin(), path.begin() + i);
      return invalid("path " + format_pointer(path) + " goes through " +
                     codec_internal::describe_blob(store, node.oid) + " at " +
                     format_pointer(through));
    }
    GITSTATE_ASSIGN_OR_RETURN(auto entry, fanout::find_member(store, node.oid, path[i]));
    if (!entry) return std::optional<Node>();
    GITSTATE_ASSIGN_OR_RETURN(node, codec_internal::node_of(*entry));
  }
  return std::optional<Node>(node);
}

Result<nlohmann::json> read_path(ObjectStore& store, const Oid& root_tree, const Path& path) {
  auto missing = [&] { return not_found("no value at " + format_pointer(path)); };
  Node node{kModeTree, root_tree};
  size_t i = 0;
  for (; i < path.size() && node.is_tree(); ++i) {
    GITSTATE_ASSIGN_OR_RETURN(auto entry, fanout::find_member(store, node.oid, path[i]));
    if (!entry) return missing();
    GITSTATE_ASSIGN_OR_RETURN(node, codec_internal::node_of(*entry));
  }
  GITSTATE_ASSIGN_OR_RETURN(json value, codec_internal::read_value_at(store, node, i));
  for (; i < path.size(); ++i) {
    json next;
    if (value.is_object()) {
      auto it = value.find(path[i]);
      if (it == value.end()) return missing();
      next = std::move(*it);
    } else if (value.is_array()) {
      auto index = array_index(path[i], value.size());
      if (!index) return missing();
      next = std::move(value[*index]);
    } else {
      return missing();
    }
    value = std::move(next);
  }
  return value;
}

Status for_each_member(ObjectStore& store, const Oid& tree,
                       const std::function<Status(const std::string& key, const Node& node)>& fn) {
  std::vector<fanout::StoredMember> members;
  GITSTATE_RETURN_IF_ERROR(fanout::collect_members(store, tree, members));
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  for (const auto& member : members) {
    GITSTATE_ASSIGN_OR_RETURN(Node node, codec_internal::node_of(member.entry));
    GITSTATE_RETURN_IF_ERROR(fn(member.key, node));
  }
  return Status::ok();
}

Result<Oid> hash_state(const nlohmann::json& root) {
  ObjectStore store(make_memory_backend());
  return write_state(store, root);
}

}  // namespace gitstate
