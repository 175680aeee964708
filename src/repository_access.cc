#include "repository_access.h"

#include "exit_status.h"
#include "write_options.h"

namespace gitstate::cli {

Result<Repository> open_repository(const GlobalOptions& globals) {
  auto repo = Repository::open(globals.repo);
  if (!repo.is_ok()) return as_input_error(repo.status().with_context("--repo " + globals.repo));
  return repo;
}

Result<Repository> open_for_reading(const GlobalOptions& globals, const std::string& perspective) {
  GITSTATE_RETURN_IF_ERROR(check_no_perspective(perspective));
  return open_repository(globals);
}

Status at_revision(const Status& status, std::string_view rev) {
  return rev.empty() ? status : status.with_context("at " + std::string(rev));
}

Result<Oid> resolve_input(const Repository& repo, std::string_view rev) {
  auto id = repo.resolve(rev);
  if (!id.is_ok()) return as_input_error(id.status());
  return id;
}

Result<std::string> pin_revision(const Repository& repo, std::string_view rev) {
  if (rev.empty()) return std::string();
  GITSTATE_ASSIGN_OR_RETURN(Oid id, resolve_input(repo, rev));
  return id.hex();
}

}  // namespace gitstate::cli
