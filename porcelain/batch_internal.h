// BatchState: the inside of a Batch (batch.h): a chain of pending commits.
//
// Thread-safety: one thread at a time, as the Batch itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commit_engine_internal.h"
#include "gitstate/repository.h"
#include "gitstate/transaction.h"
#include "working_state_internal.h"

namespace gitstate {

struct BatchState {
  Repository repo;
  std::string branch;
  Chain chain;
  std::vector<CommitRecipe> recipes;
  bool finished = false;
};

// Appends the commit of a batch transaction that began on `base` and whose
// operations produced `working`. kInvalid when the batch's head is no longer
// `base` or the batch is finished.
Result<CommitOutcome> batch_append(BatchState& batch, const std::optional<Oid>& base,
                                   CommitRecipe recipe, const WorkingState& working);

}  // namespace gitstate
