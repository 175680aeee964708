// gitstate resolve PATH --ours|--theirs|--value JSON: settle one conflict of a stopped merge.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/merge.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct ResolveArgs {
  std::string path;
  std::string branch;
  bool ours = false;
  bool theirs = false;
  std::string value;
};
}  // namespace

Action setup_resolve(CLI::App& command) {
  auto args = std::make_shared<ResolveArgs>();
  command.add_option("PATH", args->path, "the conflict's path (as `gitstate conflicts` prints it)")
      ->required();
  command.add_option("-b,--branch", args->branch, "the branch (default: the current branch)");
  auto* ours = command.add_flag("--ours", args->ours, "keep ours' value (or absence)");
  auto* theirs = command.add_flag("--theirs", args->theirs, "take theirs' value (or absence)");
  auto* value = command.add_option("--value", args->value, "this JSON value");
  ours->excludes(theirs)->excludes(value);
  theirs->excludes(value);
  return [args](const GlobalOptions& globals) {
    bool given_value = !args->value.empty();
    if (args->ours + args->theirs + given_value != 1)
      return report_usage(
          "resolve: give one of --ours, --theirs, --value JSON (see gitstate "
          "resolve --help)");
    nlohmann::json chosen;
    if (given_value) {
      auto parsed = parse_json_input(args->value, "--value");
      if (!parsed.is_ok()) return report(parsed.status());
      chosen = std::move(parsed).value();
    }
    Settle with = args->ours ? Settle::kOurs : args->theirs ? Settle::kTheirs : Settle::kValue;
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto settled = resolve_conflict(*repo, args->branch, args->path, with, chosen);
    if (!settled.is_ok()) return report(settled);
    auto left = stopped_merge(*repo, args->branch);
    if (left.is_ok())
      std::cerr << "Settled " << args->path << "; " << left->open.size() << " conflict(s) open\n";
    return kExitOk;
  };
}

}  // namespace gitstate::cli
