// gitstate branch [NAME [START]] | --delete NAME | --list: branches.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/branches.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct BranchArgs {
  std::string name;
  std::string start;
  std::string to_delete;
  bool list = false;
  const CLI::Option* name_given = nullptr;
  const CLI::Option* delete_given = nullptr;
};

int list(const Repository& repo) {
  auto branches = list_branches(repo);
  if (!branches.is_ok()) return report(branches.status());
  auto current = repo.current_branch();
  nlohmann::json out = nlohmann::json::array();
  for (const RefInfo& branch : *branches) {
    bool is_current = current.is_ok() && *current == branch.name;
    out.push_back(
        {{"name", branch.name}, {"commit", branch.target.hex()}, {"current", is_current}});
  }
  print_json(out);
  return kExitOk;
}
}  // namespace

Action setup_branch(CLI::App& command) {
  auto args = std::make_shared<BranchArgs>();
  auto* name = command.add_option("NAME", args->name, "create this branch");
  command
      .add_option("START", args->start, "where the new branch starts (default: the current branch)")
      ->needs(name);
  args->name_given = name;
  auto* remove =
      command.add_option("-d,--delete", args->to_delete, "delete this branch")->excludes(name);
  command
      .add_flag("-l,--list", args->list,
                "list branches as JSON: [{name, commit, current}] (the default)")
      ->excludes(name)
      ->excludes(remove);
  args->delete_given = remove;
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    if (args->delete_given->count() > 0) {
      if (auto deleted = delete_branch(*repo, args->to_delete); !deleted.is_ok())
        return report(deleted);
      std::cerr << "Deleted branch " << args->to_delete << "\n";
      return kExitOk;
    }
    if (args->name_given->count() == 0) return list(*repo);
    auto created = create_branch(*repo, args->name, args->start);
    if (!created.is_ok()) return report(as_input_error(created.status()));
    print_id(*created);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
