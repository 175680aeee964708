#include "commit_change.h"

#include "exit_status.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

int commit_change(const GlobalOptions& globals, const WriteOptions& options,
                  const std::function<Status(Transaction&)>& apply) {
  auto commit_options = make_commit_options(options);
  if (!commit_options.is_ok()) return report(commit_options.status());
  auto opened = open_through(globals, options.perspective);
  if (!opened.is_ok()) return report(opened.status());
  auto repo = with_signing_key(*opened, options.sign_key);
  if (!repo.is_ok()) return report(repo.status());
  auto transaction = repo->begin(options.branch);
  if (!transaction.is_ok()) return report(as_input_error(transaction.status()));
  if (auto applied = apply(*transaction); !applied.is_ok()) return report(applied);
  auto outcome = transaction->commit(*commit_options);
  if (!outcome.is_ok()) return report(outcome.status());
  print_id(outcome->commit);
  return kExitOk;
}

}  // namespace gitstate::cli
