// Operation: one change a transaction records (RFC 6902 ops, gitstate set, merge patch).
//
// A transaction keeps its operations so it can re-apply them on a newer head
// when its branch moved (transaction.h). Plain values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/result.h"

namespace gitstate {

struct Operation {
  enum class Kind { kAdd, kRemove, kReplace, kMove, kCopy, kTest, kSet, kMergePatch };
  Kind kind = Kind::kSet;
  Path path;             // target (merge patch: the root)
  Path from;             // move, copy
  nlohmann::json value;  // add, replace, test, set; the merge patch document

  // "add /a/b", "move /x -> /y", "merge-patch": how messages name the operation.
  std::string describe() const;
};

// Parses one RFC 6902 operation object. Members not defined for the operation
// are ignored, as the RFC requires. kInvalid when `op` is not an object, has
// an unknown or missing "op", a missing or non-string "path"/"from", a
// malformed pointer, or no "value" where one is needed.
Result<Operation> parse_patch_operation(const nlohmann::json& op);

// Parses an RFC 6902 document: an array of operations. kInvalid naming the
// operation's index (counted from `first_index`) when one is malformed.
Result<std::vector<Operation>> parse_patch(const nlohmann::json& patch, size_t first_index = 0);

// "operation N (describe): " — the prefix of every error an operation causes.
std::string operation_context(size_t index, const Operation& op);

}  // namespace gitstate
