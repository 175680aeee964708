// gitstate fetch NAME: bring a remote's branches, tags and perspective definitions in.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/remote.h"
#include "json_io.h"
#include "repository_access.h"
#include "sync_output.h"

namespace gitstate::cli {

Action setup_fetch(CLI::App& command) {
  struct Args {
    std::string name;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  command.add_option("NAME", args->name, "the remote to fetch from")->required();
  add_quiet_option(command, args->quiet);
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto fetched = fetch(*repo, args->name, RemoteOptions{progress_reporter(args->quiet)});
    if (!fetched.is_ok()) return report(as_input_error(fetched.status()));
    print_json(fetch_json(*fetched));
    for (const std::string& tag : fetched->kept_tags)
      std::cerr << "gitstate: kept local tag " << tag << " (the remote's differs)\n";
    return kExitOk;
  };
}

}  // namespace gitstate::cli
