// The common path of the commands that commit one transaction (set, rm, patch).
#pragma once

#include <functional>

#include "command.h"
#include "gitstate/result.h"
#include "gitstate/transaction.h"
#include "write_options.h"

namespace gitstate::cli {

// Opens the repository, begins a transaction on the chosen branch, lets
// `apply` change it, commits with the write options and prints the new
// commit id. Returns the exit status; failures are reported on stderr (an
// unknown branch is bad input, exit 2).
int commit_change(const GlobalOptions& globals, const WriteOptions& options,
                  const std::function<Status(Transaction&)>& apply);

}  // namespace gitstate::cli
