#include "operation_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

std::string pointer_text(const Path& path) {
  std::string text = format_pointer(path);
  return text.empty() ? "/" : text;
}

Result<Path> pointer_member(const json& op, const char* member) {
  auto it = op.find(member);
  if (it == op.end()) return invalid(std::string("missing \"") + member + "\"");
  if (!it->is_string()) return invalid(std::string("\"") + member + "\" is not a string");
  auto path = parse_pointer(it->get_ref<const std::string&>());
  if (!path.is_ok()) return path.status().with_context(std::string("\"") + member + "\"");
  return path;
}
}  // namespace

std::string Operation::describe() const {
  switch (kind) {
    case Kind::kAdd:
      return "add " + pointer_text(path);
    case Kind::kRemove:
      return "remove " + pointer_text(path);
    case Kind::kReplace:
      return "replace " + pointer_text(path);
    case Kind::kMove:
      return "move " + pointer_text(from) + " -> " + pointer_text(path);
    case Kind::kCopy:
      return "copy " + pointer_text(from) + " -> " + pointer_text(path);
    case Kind::kTest:
      return "test " + pointer_text(path);
    case Kind::kSet:
      return "set " + pointer_text(path);
    case Kind::kMergePatch:
      return "merge-patch";
  }
  return "?";
}

Result<Operation> parse_patch_operation(const json& op) {
  if (!op.is_object()) return invalid("an operation must be an object");
  auto name_it = op.find("op");
  if (name_it == op.end()) return invalid("missing \"op\"");
  if (!name_it->is_string()) return invalid("\"op\" is not a string");
  const std::string& name = name_it->get_ref<const std::string&>();
  Operation result;
  using Kind = Operation::Kind;
  bool needs_value = false, needs_from = false;
  if (name == "add") {
    result.kind = Kind::kAdd, needs_value = true;
  } else if (name == "remove") {
    result.kind = Kind::kRemove;
  } else if (name == "replace") {
    result.kind = Kind::kReplace, needs_value = true;
  } else if (name == "move") {
    result.kind = Kind::kMove, needs_from = true;
  } else if (name == "copy") {
    result.kind = Kind::kCopy, needs_from = true;
  } else if (name == "test") {
    result.kind = Kind::kTest, needs_value = true;
  } else {
    return invalid("unknown op \"" + name + "\"");
  }
  GITSTATE_ASSIGN_OR_RETURN(result.path, pointer_member(op, "path"));
  if (needs_from) {
    GITSTATE_ASSIGN_OR_RETURN(result.from, pointer_member(op, "from"));
  }
  if (needs_value) {
    auto value = op.find("value");
    if (value == op.end()) return invalid("missing \"value\"");
    result.value = *value;
  }
  return result;
}

Result<std::vector<Operation>> parse_patch(const json& patch, size_t first_index) {
  if (!patch.is_array()) return invalid("a JSON Patch must be an array of operations");
  std::vector<Operation> ops;
  ops.reserve(patch.size());
  for (size_t i = 0; i < patch.size(); ++i) {
    auto op = parse_patch_operation(patch[i]);
    if (!op.is_ok())
      return op.status().with_context("operation " + std::to_string(first_index + i));
    ops.push_back(std::move(op).value());
  }
  return ops;
}

std::string operation_context(size_t index, const Operation& op) {
  return "operation " + std::to_string(index) + " (" + op.describe() + ")";
}

}  // namespace gitstate
