// gitstate branch [NAME [START]] | --delete NAME | --list: branches.
#include "commands.h"
#include "ref_command.h"

namespace gitstate::cli {

Action setup_branch(CLI::App& command) {
  RefCommand kind;
  kind.noun = "branch";
  kind.start_name = "START";
  kind.start_help = "where the new branch starts (default: the current branch)";
  kind.list_help = "list branches as JSON: [{name, commit, current}] (the default)";
  kind.list = list_branches;
  kind.describe = [](const Repository& repo, const RefInfo& branch) {
    auto current = repo.current_branch();
    bool is_current = current.is_ok() && *current == branch.name;
    return nlohmann::json{
        {"name", branch.name}, {"commit", branch.target.hex()}, {"current", is_current}};
  };
  kind.create = [](const Repository& repo, std::string_view name, std::string_view start) {
    return create_branch(repo, name, start);
  };
  kind.remove = [](const Repository& repo, std::string_view name) {
    return delete_branch(repo, name);
  };
  return setup_ref_command(command, std::move(kind));
}

}  // namespace gitstate::cli
