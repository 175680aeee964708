// gitstate diff REV1 REV2 [--path P]: the RFC 6902 patch turning REV1 into REV2.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/history.h"
#include "json_io.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct DiffArgs {
  std::string from;
  std::string to;
  std::string path;
  std::string perspective;
};
}  // namespace

Action setup_diff(CLI::App& command) {
  auto args = std::make_shared<DiffArgs>();
  command.add_option("REV1", args->from, "the revision to start from")->required();
  command.add_option("REV2", args->to, "the revision to arrive at")->required();
  command.add_option("--path", args->path, "only changes at or under this JSON Pointer");
  add_perspective_option(command, args->perspective);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto from = resolve_input(*repo, args->from);
    if (!from.is_ok()) return report(from.status());
    auto to = resolve_input(*repo, args->to);
    if (!to.is_ok()) return report(to.status());
    auto patch = diff(*repo, from->hex(), to->hex(), args->path);
    if (!patch.is_ok()) return report(patch.status());
    print_json(*patch);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
