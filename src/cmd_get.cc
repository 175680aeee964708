// gitstate get PATH [--at REV]: print the JSON value at PATH.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "json_io.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct GetArgs {
  std::string path;
  std::string at;
  std::string perspective;
};
}  // namespace

Action setup_get(CLI::App& command) {
  auto args = std::make_shared<GetArgs>();
  command.add_option("PATH", args->path, "JSON Pointer (\"\" is the whole state)")->required();
  command.add_option("--at", args->at, "revision to read (default: the current branch)");
  add_perspective_option(command, args->perspective);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto rev = pin_revision(*repo, args->at);
    if (!rev.is_ok()) return report(rev.status());
    auto value = repo->get(args->path, *rev);
    if (!value.is_ok()) return report(at_revision(value.status(), args->at));
    print_json(*value);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
