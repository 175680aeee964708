// gitstate project NAME [-b BRANCH] --into TARGET [--mark-hidden]: a branch's
// history as seen through a perspective, written onto branch TARGET.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/projection.h"
#include "json_io.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

Action setup_project(CLI::App& command) {
  struct ProjectArgs : ProjectOptions {
    std::string sign_key;
  };
  auto args = std::make_shared<ProjectArgs>();
  command.add_option("NAME", args->perspective, "the perspective")->required();
  command.add_option("-b,--branch", args->branch,
                     "the branch to project (default: the current branch)");
  command.add_option("--into", args->target, "the branch that receives the projection")->required();
  command.add_flag("--mark-hidden", args->mark_hidden,
                   "views show each excluded object as \"gitstate:hidden:<tree id>\"");
  add_sign_key_option(command, args->sign_key);
  return [args](const GlobalOptions& globals) {
    auto opened = open_repository(globals);
    if (!opened.is_ok()) return report(opened.status());
    auto repo = with_signing_key(*opened, args->sign_key);
    if (!repo.is_ok()) return report(repo.status());
    auto projected = project_history(*repo, *args);
    if (!projected.is_ok()) return report(as_input_error(projected.status()));
    print_id(projected->head);
    std::cerr << "Projected " << projected->created
              << (projected->created == 1 ? " commit\n" : " commits\n");
    return kExitOk;
  };
}

}  // namespace gitstate::cli
