// gitstate push NAME [BRANCH]: send one branch (and, when asked, its tags and
// the perspective definitions) to a remote.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/remote.h"
#include "json_io.h"
#include "repository_access.h"
#include "sync_output.h"

namespace gitstate::cli {

namespace {
const char* push_result(const PushedRef& ref) {
  if (ref.up_to_date) return "up-to-date";
  if (ref.kept) return "kept";
  return ref.old_value ? "updated" : "created";
}
}  // namespace

Action setup_push(CLI::App& command) {
  struct Args {
    std::string name, branch;
    PushOptions options;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  command.add_option("NAME", args->name, "the remote to push to")->required();
  command.add_option("BRANCH", args->branch, "the branch to push (default: the current branch)");
  command.add_flag("-f,--force", args->options.force,
                   "replace the remote branch even when that loses commits there");
  command.add_flag("--tags", args->options.tags,
                   "also push the tags that point into the pushed branch's history");
  command.add_flag("--perspectives", args->options.perspectives,
                   "also push the perspective definitions (refs/gitstate/perspectives)");
  add_quiet_option(command, args->quiet);
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    args->options.transfer.progress = progress_reporter(args->quiet);
    auto pushed = push(*repo, args->name, args->branch, args->options);
    args->options.transfer.progress = nullptr;
    if (!pushed.is_ok()) return report(as_input_error(pushed.status()));
    nlohmann::json refs = nlohmann::json::array();
    for (const PushedRef& ref : pushed->pushed) {
      refs.push_back({{"ref", ref.remote_ref},
                      {"old", id_or_null(ref.old_value)},
                      {"new", ref.new_value.hex()},
                      {"result", push_result(ref)}});
      if (ref.kept)
        std::cerr << "gitstate: kept " << ref.remote_ref << " on " << args->name
                  << " (it points elsewhere there; tags are never moved)\n";
    }
    print_json({{"remote", pushed->remote},
                {"refs", refs},
                {"objects", pushed->objects_sent},
                {"bytes", pushed->bytes_sent}});
    return kExitOk;
  };
}

}  // namespace gitstate::cli
