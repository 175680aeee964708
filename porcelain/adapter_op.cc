#include "adapter_op_internal.h"

namespace gitstate {

Result<AdapterOp> parse_adapter_op(const nlohmann::json& op, std::string_view adapter,
                                   std::string_view root) {
  if (!op.is_object() || !op.contains("op") || !op["op"].is_string() || !op.contains("path") ||
      !op["path"].is_string())
    return invalid("not an operation with \"op\" and \"path\"");
  AdapterOp out;
  out.name = op["op"].get<std::string>();
  if (out.name != "add" && out.name != "remove" && out.name != "replace")
    return invalid("the " + std::string(adapter) +
                   " adapter applies add, remove and replace, not " + out.name);
  GITSTATE_ASSIGN_OR_RETURN(out.path, parse_pointer(op["path"].get<std::string>()));
  if (out.path.empty())
    return invalid("the root is " + std::string(root) + " and cannot be " + out.name + "d");
  if (out.name != "remove") {
    if (!op.contains("value")) return invalid("the operation has no \"value\"");
    out.value = &op["value"];
  }
  return out;
}

std::string adapter_op_context(size_t index, const nlohmann::json& op) {
  std::string what = op.is_object() ? op.value("op", "?") + " " + op.value("path", "?") : "?";
  return "operation " + std::to_string(index) + " (" + what + ")";
}

}  // namespace gitstate
