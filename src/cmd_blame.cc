// gitstate blame PATH [--at REV]: for each leaf under PATH, the commit that last changed it.
#include <memory>

#include "commands.h"
#include "commit_json.h"
#include "exit_status.h"
#include "gitstate/history.h"
#include "json_io.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct BlameArgs {
  std::string path;
  std::string at;
  std::string perspective;
};
}  // namespace

Action setup_blame(CLI::App& command) {
  auto args = std::make_shared<BlameArgs>();
  command.add_option("PATH", args->path, "JSON Pointer (\"\" is the whole state)")->required();
  command.add_option("--at", args->at, "revision to blame (default: the current branch)");
  add_perspective_option(command, args->perspective);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto rev = pin_revision(*repo, args->at);
    if (!rev.is_ok()) return report(rev.status());
    auto entries = blame(*repo, args->path, *rev);
    if (!entries.is_ok()) return report(at_revision(entries.status(), args->at));
    nlohmann::json out = nlohmann::json::array();
    for (const BlameEntry& entry : *entries) {
      out.push_back({{"path", entry.path},
                     {"commit", entry.commit.hex()},
                     {"author", format_identity(entry.author)},
                     {"time", entry.author.time}});
    }
    print_json(out);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
