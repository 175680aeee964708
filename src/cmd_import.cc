// gitstate import [-b BRANCH]: JSON Lines on stdin, one commit per line, in one batch.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/batch.h"
#include "json_io.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {

// Errors about an input line start with "line N: " (batch.h); any other
// failure is about the branch the user named.
bool names_an_input_line(const Status& status) { return status.message().rfind("line ", 0) == 0; }

}  // namespace

Action setup_import(CLI::App& command) {
  auto args = std::make_shared<WriteOptions>();
  add_branch_options(command, *args);
  return [args](const GlobalOptions& globals) {
    auto opened = open_through(globals, args->perspective);
    if (!opened.is_ok()) return report(opened.status());
    auto repo = with_signing_key(*opened, args->sign_key);
    if (!repo.is_ok()) return report(repo.status());
    ImportOptions options;
    options.branch = args->branch;
    auto imported = import_json_lines(*repo, std::cin, options);
    if (!imported.is_ok()) {
      const Status& status = imported.status();
      return report(names_an_input_line(status) ? status.with_context("stdin")
                                                : as_input_error(status));
    }
    print_id(imported->head);
    std::cerr << "Imported " << imported->commits
              << (imported->commits == 1 ? " commit\n" : " commits\n");
    return kExitOk;
  };
}

}  // namespace gitstate::cli
