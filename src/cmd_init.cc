// gitstate init: create a state repository at --repo.
#include <iostream>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/repository.h"

namespace gitstate::cli {

Action setup_init(CLI::App&) {
  return [](const GlobalOptions& globals) {
    auto repo = Repository::init(globals.repo);
    if (!repo.is_ok()) return report(repo.status().with_context("init " + globals.repo));
    std::cerr << "Initialized a state repository in " << repo->path() << " (branch main)\n";
    return kExitOk;
  };
}

}  // namespace gitstate::cli
