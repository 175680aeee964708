// gitstate: the command-line front end. Parses the command line with CLI11,
// runs the chosen command from the command table, and exits with its status.
#include <exception>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "command_table.h"
#include "exit_status.h"

namespace {

using gitstate::cli::Action;
using gitstate::cli::CommandKind;
using gitstate::cli::GlobalOptions;

// Help and usage errors. A usage error names the command it is about.
int parse_error(CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error);
  std::string command =
      app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name();
  std::string help = command.empty() ? "gitstate --help" : "gitstate " + command + " --help";
  std::string where = command.empty() ? "" : command + ": ";
  return gitstate::cli::report_usage(where + error.what() + " (see " + help + ")");
}

int run(int argc, char** argv) {
  CLI::App app("gitstate: versioned JSON state in a git repository", "gitstate");
  app.require_subcommand(0, 1);
  app.fallthrough();
  GlobalOptions globals;
  globals.repo = ".";
  app.add_option("--repo", globals.repo, "the state repository, a bare git directory (default: .)")
      ->envname("GITSTATE_REPO");

  std::map<const CLI::App*, Action> actions;
  for (const auto& command : gitstate::cli::command_table()) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    sub->group(command.kind == CommandKind::kPlumbing ? "Plumbing commands" : "Porcelain commands");
    actions[sub] = command.setup(*sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return parse_error(app, error);
  }
  if (app.get_subcommands().empty())
    return gitstate::cli::report_usage("a command is required (see gitstate --help)");
  return actions.at(app.get_subcommands().front())(globals);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    int status = run(argc, argv);
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "gitstate: cannot write to stdout\n";
      return gitstate::cli::kExitFailed;
    }
    return status;
  } catch (const std::exception& error) {
    std::cerr << "gitstate: internal error: " << error.what() << "\n";
    return gitstate::cli::kExitFailed;
  }
}
