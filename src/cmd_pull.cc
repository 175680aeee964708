// gitstate pull NAME [BRANCH]: fetch, then merge the remote's branch.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/remote.h"
#include "json_io.h"
#include "merge_command.h"
#include "repository_access.h"
#include "sync_output.h"
#include "write_options.h"

namespace gitstate::cli {

Action setup_pull(CLI::App& command) {
  struct Args {
    std::string name, branch;
    MergeArgs merge;
    bool ff_only = false, no_ff = false, quiet = false;
  };
  auto args = std::make_shared<Args>();
  command.add_option("NAME", args->name, "the remote to pull from")->required();
  command.add_option("BRANCH", args->branch,
                     "the remote's branch to merge (default: the name of the branch merged into)");
  add_merge_options(command, args->merge);
  command.add_flag("--ff-only", args->ff_only, "only fast-forward; refuse (exit 1) to merge");
  command.add_flag("--no-ff", args->no_ff, "make a merge commit even when a fast-forward would do");
  add_quiet_option(command, args->quiet);
  return [args](const GlobalOptions& globals) {
    if (args->ff_only && args->no_ff)
      return report_usage("pull: --ff-only and --no-ff exclude each other");
    if (!args->merge.write.perspective.empty())
      return report(
          Status(Code::kPermissionDenied,
                 "pull through a perspective is not supported (sync moves whole histories)"));
    auto commit_options = make_commit_options(args->merge.write);
    if (!commit_options.is_ok()) return report(commit_options.status());
    auto opened = open_repository(globals);
    if (!opened.is_ok()) return report(opened.status());
    auto repo = with_signing_key(*opened, args->merge.write.sign_key);
    if (!repo.is_ok()) return report(repo.status());
    PullOptions options;
    options.into = args->merge.write.branch;
    options.ff_only = args->ff_only;
    options.merge.strategy = args->merge.strategy;
    options.merge.no_ff = args->no_ff;
    options.merge.message = args->merge.write.message;
    options.merge.tags = commit_options->tags;
    options.merge.author = commit_options->author;
    options.transfer.progress = progress_reporter(args->quiet);
    auto pulled = pull(*repo, args->name, args->branch, options);
    options.transfer.progress = nullptr;
    if (!pulled.is_ok()) return report(as_input_error(pulled.status()));
    nlohmann::json out = merge_outcome_json(pulled->merge);
    out["branch"] = pulled->branch;
    out["fetched"] = fetch_json(pulled->fetched);
    out["perspectives"] = perspectives_name(pulled->perspectives.result);
    print_json(out);
    if (pulled->perspectives.result == PerspectivesSync::kDiverged)
      std::cerr << "gitstate: the perspective definitions of " << args->name
                << " and these have diverged; kept these (the remote's are at "
                << remote_perspectives_ref(args->name) << ")\n";
    if (pulled->merge.kind != MergeKind::kConflicted) return kExitOk;
    print_stopped_merge_hint(pulled->merge.conflicts.size());
    return kExitRefused;
  };
}

}  // namespace gitstate::cli
