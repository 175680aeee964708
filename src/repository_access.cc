#include "repository_access.h"

#include "exit_status.h"

namespace gitstate::cli {

Result<Repository> open_repository(const GlobalOptions& globals) {
  auto repo = Repository::open(globals.repo);
  if (!repo.is_ok()) return as_input_error(repo.status().with_context("--repo " + globals.repo));
  return repo;
}

Result<Repository> open_through(const GlobalOptions& globals, const std::string& perspective) {
  GITSTATE_ASSIGN_OR_RETURN(Repository repo, open_repository(globals));
  if (perspective.empty()) return repo;
  auto bound = repo.through(perspective);
  if (!bound.is_ok()) return as_input_error(bound.status().with_context("--perspective"));
  return bound;
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
