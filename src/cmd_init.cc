// gitstate init: create a state repository at --repo.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/repository.h"
#include "write_options.h"

namespace gitstate::cli {

Action setup_init(CLI::App& command) {
  auto sign_key = std::make_shared<std::string>();
  add_sign_key_option(command, *sign_key);
  return [sign_key](const GlobalOptions& globals) {
    auto key = chosen_signing_key(*sign_key);
    if (!key.is_ok()) return report(key.status());
    InitOptions options;
    options.signing_key = *key;
    auto repo = Repository::init(globals.repo, options);
    if (!repo.is_ok()) return report(repo.status().with_context("init " + globals.repo));
    std::cerr << "Initialized a state repository in " << repo->path() << " (branch main)\n";
    return kExitOk;
  };
}

}  // namespace gitstate::cli
