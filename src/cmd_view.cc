// gitstate view NAME [--at REV] [--mark-hidden]: the whole state through a perspective.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/perspective.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct ViewArgs {
  std::string name;
  std::string at;
  bool mark_hidden = false;
};
}  // namespace

Action setup_view(CLI::App& command) {
  auto args = std::make_shared<ViewArgs>();
  command.add_option("NAME", args->name, "the perspective")->required();
  command.add_option("--at", args->at, "revision to read (default: the current branch)");
  command.add_flag("--mark-hidden", args->mark_hidden,
                   "show each excluded object as \"gitstate:hidden:<tree id>\"");
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->name);
    if (!repo.is_ok()) return report(repo.status());
    auto rev = pin_revision(*repo, args->at);
    if (!rev.is_ok()) return report(rev.status());
    auto value = read_view(*repo, *rev, args->mark_hidden);
    if (!value.is_ok()) return report(at_revision(value.status(), args->at));
    print_json(*value);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
