// TransactionState: the inside of a Transaction (transaction.h).
//
// Thread-safety: one thread at a time, as the Transaction itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"
#include "operation_internal.h"
#include "working_state_internal.h"

namespace gitstate {

struct BatchState;

struct TransactionState {
  TransactionState(Repository repository, std::string branch_name, std::optional<Oid> base_commit,
                   const Oid& base_tree, BatchState* owner);

  Repository repo;
  std::string branch;
  std::optional<Oid> base;
  Oid base_tree;
  WorkingState working;
  std::optional<WorkingState> view;  // bound handle: the view being changed in step
  std::vector<Operation> ops;
  Status failed;          // the first failure; every later call returns it
  bool finished = false;  // committed
  BatchState* batch;      // non-null: commit() appends to this batch
};

}  // namespace gitstate
