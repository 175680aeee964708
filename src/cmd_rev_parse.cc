// gitstate rev-parse REV...: the full commit id of each revision, one per line.
#include <memory>
#include <vector>

#include "commands.h"
#include "exit_status.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

Action setup_rev_parse(CLI::App& command) {
  auto revs = std::make_shared<std::vector<std::string>>();
  command.add_option("REV", *revs, "revisions: branch, tag, id, abbreviated id, REV~N, REV^N")
      ->required();
  return [revs](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    for (const std::string& rev : *revs) {
      auto id = resolve_input(*repo, rev);
      if (!id.is_ok()) return report(id.status());
      print_id(*id);
    }
    return kExitOk;
  };
}

}  // namespace gitstate::cli
