// Writing through a perspective: a transaction on a bound handle applies each
// operation to its view of the state and to the full state, and keeps the
// two in step (repository.h states the rule).
//
// For each operation: its target (and a move's or copy's source) must be a
// path that can hold something visible; the operation must succeed on the
// view (its errors are the view's: a hidden path is absent there); on the
// full state it must change only visible leaves (scalars, arrays, empty
// objects); and the full state's view afterwards must equal the view's own
// (so nothing hidden was copied or tested into the result). Failures other
// than the view's own are kPermissionDenied naming the operation's path (for
// a merge patch, the patch's path towards what it would change), never a
// hidden path the writer did not name.
//
// Thread-safety: one thread at a time, as the Transaction.
#pragma once

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/result.h"
#include "operation_internal.h"
#include "transaction_internal.h"

namespace gitstate {

// Applies `op` as described above. On error the transaction must fail (the
// full state may have moved).
Status apply_through(TransactionState& s, const Operation& op);

// The value at `path` as the bound transaction sees it (its view), with the
// path recorded as read in the full state. kNotFound for a hidden path.
Result<nlohmann::json> read_through(TransactionState& s, const Path& path);

}  // namespace gitstate
