// Command: one `gitstate` subcommand, as listed in the command table.
//
// Every command lives in its own file (cmd_<name>.cc) and exposes a setup
// function: it adds the subcommand's options to a CLI11 app and returns the
// Action that runs the command once the arguments are parsed. The action
// returns the process exit status (exit_status.h). Actions write output for
// programs to stdout and messages for people to stderr.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace gitstate::cli {

// Options that every command accepts.
struct GlobalOptions {
  std::string repo;  // --repo DIR, or $GITSTATE_REPO, or the current directory
};

using Action = std::function<int(const GlobalOptions&)>;
using Setup = Action (*)(CLI::App& command);

enum class CommandKind { kPorcelain, kPlumbing };

struct Command {
  const char* name;
  CommandKind kind;
  const char* summary;
  Setup setup;
};

}  // namespace gitstate::cli
