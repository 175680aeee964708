// gitstate project NAME [-b BRANCH] --into TARGET [--mark-hidden]: a branch's
// history as seen through a perspective, written onto branch TARGET.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/projection.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

Action setup_project(CLI::App& command) {
  auto args = std::make_shared<ProjectOptions>();
  command.add_option("NAME", args->perspective, "the perspective")->required();
  command.add_option("-b,--branch", args->branch,
                     "the branch to project (default: the current branch)");
  command.add_option("--into", args->target, "the branch that receives the projection")->required();
  command.add_flag("--mark-hidden", args->mark_hidden,
                   "views show each excluded object as \"gitstate:hidden:<tree id>\"");
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto projected = project_history(*repo, *args);
    if (!projected.is_ok()) {
      Code code = projected.status().code();
      bool input = code == Code::kNotFound || code == Code::kInvalid;
      return report(input ? as_input_error(projected.status()) : projected.status());
    }
    print_id(projected->head);
    std::cerr << "Projected " << projected->created
              << (projected->created == 1 ? " commit\n" : " commits\n");
    return kExitOk;
  };
}

}  // namespace gitstate::cli
