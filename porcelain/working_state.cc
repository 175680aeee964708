#include "working_state_internal.h"

#include "gitstate/plumbing/tree_edit.h"
#include "value_ops_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

std::string shown(const Path& path) {
  std::string text = format_pointer(path);
  return text.empty() ? "the root" : text;
}

std::string excerpt(const json& value) {
  std::string text = value.dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

Path prefix_of(const Path& path, size_t length) {
  return Path(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(length));
}

Path suffix_of(const Path& path, size_t start) {
  return Path(path.begin() + static_cast<std::ptrdiff_t>(start), path.end());
}

// RFC 7386: the value a merge patch gives where there was nothing (or no object).
json without_nulls(const json& patch) {
  if (!patch.is_object()) return patch;
  json out = json::object();
  for (const auto& [key, value] : patch.items())
    if (!value.is_null()) out[key] = without_nulls(value);
  return out;
}

Status collect_merge_edits(ObjectStore& store, const std::optional<Oid>& tree, const Path& prefix,
                           const json& patch, std::vector<Edit>& edits,
                           std::vector<Path>& touched) {
  for (const auto& [key, value] : patch.items()) {
    Path path = prefix;
    path.push_back(key);
    std::optional<Node> member;
    if (tree) {
      GITSTATE_ASSIGN_OR_RETURN(member, lookup(store, *tree, Path{key}));
    }
    if (value.is_object() && member && member->is_tree()) {
      GITSTATE_RETURN_IF_ERROR(
          collect_merge_edits(store, member->oid, path, value, edits, touched));
      continue;
    }
    touched.push_back(path);
    if (value.is_null()) {
      if (member) edits.push_back(Edit{path, std::nullopt, false});
    } else {
      edits.push_back(Edit{path, without_nulls(value), true});
    }
  }
  return Status::ok();
}
}  // namespace

bool paths_overlap(const Path& a, const Path& b) {
  size_t n = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
}

Result<Location> locate(ObjectStore& store, const Oid& root, const Path& path) {
  Location location;
  location.node = Node{kModeTree, root};
  for (size_t i = 0; i < path.size(); ++i) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Node> member,
                              lookup(store, location.node.oid, Path{path[i]}));
    if (!member) {
      location.kind = Location::Kind::kMissing;
      location.depth = i;
      return location;
    }
    location.node = *member;
    location.depth = i + 1;
    if (!member->is_tree()) {
      location.kind = i + 1 == path.size() ? Location::Kind::kBlob : Location::Kind::kInsideBlob;
      return location;
    }
  }
  location.kind = Location::Kind::kTree;
  return location;
}

Status WorkingState::apply(const Operation& op) {
  using Kind = Operation::Kind;
  Oid before = root_;
  size_t touched_before = touched_.size();
  Status status;
  switch (op.kind) {
    case Kind::kAdd:
      status = put(op.path, op.value, PutMode::kAdd);
      break;
    case Kind::kReplace:
      status = put(op.path, op.value, PutMode::kReplace);
      break;
    case Kind::kSet:
      status = put(op.path, op.value, PutMode::kSet);
      break;
    case Kind::kRemove:
      status = erase(op.path);
      break;
    case Kind::kTest:
      status = test(op.path, op.value);
      break;
    case Kind::kMergePatch:
      status = merge_patch(op.value);
      break;
    case Kind::kMove:
    case Kind::kCopy: {
      if (op.kind == Kind::kMove && op.from.size() < op.path.size() &&
          paths_overlap(op.from, op.path)) {
        status = invalid("cannot move " + shown(op.from) + " into its own child " + shown(op.path));
        break;
      }
      auto value = read(op.from);
      if (!value.is_ok()) {
        status = value.status();
        break;
      }
      if (op.kind == Kind::kMove && op.from == op.path) break;
      if (op.kind == Kind::kMove) status = erase(op.from);
      if (status.is_ok()) status = put(op.path, std::move(value).value(), PutMode::kAdd);
      break;
    }
  }
  if (!status.is_ok()) {
    root_ = before;
    touched_.resize(touched_before);
  }
  return status;
}

Result<json> WorkingState::read(const Path& path) {
  touched_.push_back(path);
  return value_at(path);
}

Result<json> WorkingState::value_at(const Path& path) {
  auto value = read_path(*store_, root_, path);
  if (!value.is_ok() && value.status().code() == Code::kNotFound)
    return not_found(shown(path) + " does not exist");
  return value;
}

Status WorkingState::test(const Path& path, const json& expected) {
  touched_.push_back(path);
  GITSTATE_ASSIGN_OR_RETURN(Location location, locate(*store_, root_, path));
  if (location.kind == Location::Kind::kTree && expected.is_object()) {
    auto expected_id = hash_state(expected);
    if (expected_id.is_ok() && *expected_id == location.node.oid) return Status::ok();
  }
  auto actual = value_at(path);
  if (!actual.is_ok()) {
    if (actual.status().code() == Code::kNotFound)
      return Status(Code::kConflict, "test failed: " + shown(path) + " does not exist");
    return actual.status();
  }
  if (*actual != expected)
    return Status(Code::kConflict, "test failed: " + shown(path) + " is " + excerpt(*actual) +
                                       ", expected " + excerpt(expected));
  return Status::ok();
}

Status WorkingState::put(const Path& path, json value, PutMode mode) {
  touched_.push_back(path);
  if (path.empty()) {
    if (!value.is_object())
      return invalid(std::string("the state root must be an object, not ") + value_kind(value));
    GITSTATE_ASSIGN_OR_RETURN(root_, write_state(*store_, value));
    return Status::ok();
  }
  GITSTATE_ASSIGN_OR_RETURN(Location location, locate(*store_, root_, path));
  switch (location.kind) {
    case Location::Kind::kTree:
    case Location::Kind::kBlob:
      return edit(path, std::move(value), false);
    case Location::Kind::kMissing:
      if (mode == PutMode::kReplace) return not_found(shown(path) + " does not exist");
      if (location.depth + 1 < path.size() && mode == PutMode::kAdd)
        return not_found("parent " + shown(prefix_of(path, path.size() - 1)) + " does not exist");
      return edit(path, std::move(value), mode == PutMode::kSet);
    case Location::Kind::kInsideBlob: {
      GITSTATE_ASSIGN_OR_RETURN(json container, read_value(*store_, location.node));
      Path where = prefix_of(path, location.depth);
      Path inner = suffix_of(path, location.depth);
      Status status;
      if (mode == PutMode::kAdd) status = value_add(container, inner, std::move(value), where);
      if (mode == PutMode::kReplace)
        status = value_replace(container, inner, std::move(value), where);
      if (mode == PutMode::kSet) status = value_set(container, inner, std::move(value), where);
      GITSTATE_RETURN_IF_ERROR(status);
      return edit(where, std::move(container), false);
    }
  }
  return Status::ok();
}

Status WorkingState::erase(const Path& path) {
  touched_.push_back(path);
  if (path.empty()) return invalid("the root cannot be removed");
  GITSTATE_ASSIGN_OR_RETURN(Location location, locate(*store_, root_, path));
  switch (location.kind) {
    case Location::Kind::kTree:
    case Location::Kind::kBlob:
      return edit(path, std::nullopt, false);
    case Location::Kind::kMissing:
      return not_found(shown(path) + " does not exist");
    case Location::Kind::kInsideBlob: {
      GITSTATE_ASSIGN_OR_RETURN(json container, read_value(*store_, location.node));
      Path where = prefix_of(path, location.depth);
      GITSTATE_RETURN_IF_ERROR(value_remove(container, suffix_of(path, location.depth), where));
      return edit(where, std::move(container), false);
    }
  }
  return Status::ok();
}

Status WorkingState::merge_patch(const json& patch) {
  if (!patch.is_object())
    return invalid(std::string("a merge patch of the state must be an object, not ") +
                   value_kind(patch));
  std::vector<Edit> edits;
  GITSTATE_RETURN_IF_ERROR(collect_merge_edits(*store_, root_, Path{}, patch, edits, touched_));
  if (edits.empty()) return Status::ok();
  GITSTATE_ASSIGN_OR_RETURN(root_, apply_edits(*store_, root_, edits));
  return Status::ok();
}

Status WorkingState::edit(const Path& path, std::optional<json> value, bool create_parents) {
  std::vector<Edit> edits;
  edits.push_back(Edit{path, std::move(value), create_parents});
  GITSTATE_ASSIGN_OR_RETURN(root_, apply_edits(*store_, root_, edits));
  return Status::ok();
}

}  // namespace gitstate
