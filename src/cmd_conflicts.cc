// gitstate conflicts: the open conflicts of the stopped merge on a branch.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/merge.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

Action setup_conflicts(CLI::App& command) {
  auto branch = std::make_shared<std::string>();
  command.add_option("-b,--branch", *branch, "the branch (default: the current branch)");
  return [branch](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto stopped = stopped_merge(*repo, *branch);
    if (!stopped.is_ok()) return report(stopped.status());
    nlohmann::json open = nlohmann::json::array();
    for (const Conflict& conflict : stopped->open) open.push_back(conflict_json(conflict));
    print_json(open);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
