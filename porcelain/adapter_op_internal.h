// The operations an adapter's apply() accepts (gitstate/adapter.h): add,
// remove and replace below the state's root, as RFC 6902 writes them.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/result.h"

namespace gitstate {

struct AdapterOp {
  std::string name;                       // "add", "remove" or "replace"
  Path path;                              // never the root
  const nlohmann::json* value = nullptr;  // into the operation; null for remove
};

// `op` checked: an object with a string "op" naming add, remove or replace,
// a string "path" holding a JSON Pointer below the root and, except for
// remove, a "value". kInvalid saying what is wrong; `adapter` ("directory",
// "sqlite") and `root` (what the root is to it) name the refusals. The
// result points into `op`, which must outlive it.
Result<AdapterOp> parse_adapter_op(const nlohmann::json& op, std::string_view adapter,
                                   std::string_view root);

// "operation I (OP PATH)": the context of the refusal of operation `index`,
// `op`, of a patch. Never fails ("?" for what `op` lacks).
std::string adapter_op_context(size_t index, const nlohmann::json& op);

}  // namespace gitstate
