// gitstate merge SOURCE | --continue | --abort: three-way merge into a branch.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "json_io.h"
#include "merge_command.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct MergeCommandArgs {
  std::string source;
  MergeArgs merge;
  bool no_ff = false;
  bool resume = false;
  bool abort = false;
};

int finish(const GlobalOptions& globals, const MergeCommandArgs& args) {
  auto opened = open_repository(globals);
  if (!opened.is_ok()) return report(opened.status());
  auto repo = with_signing_key(*opened, args.merge.write.sign_key);
  if (!repo.is_ok()) return report(repo.status());
  const std::string& branch = args.merge.write.branch;
  if (args.abort) {
    if (auto aborted = abort_merge(*repo, branch); !aborted.is_ok()) return report(aborted);
    std::cerr << "Aborted the stopped merge; the branch is unchanged\n";
    return kExitOk;
  }
  auto commit_options = make_commit_options(args.merge.write);
  if (!commit_options.is_ok()) return report(commit_options.status());
  auto id = continue_merge(*repo, branch, commit_options->author);
  if (!id.is_ok()) return report(id.status());
  print_id(*id);
  return kExitOk;
}
}  // namespace

Action setup_merge(CLI::App& command) {
  auto args = std::make_shared<MergeCommandArgs>();
  command.add_option("SOURCE", args->source, "the revision to merge");
  add_merge_options(command, args->merge);
  command.add_flag("--no-ff", args->no_ff, "make a merge commit even when a fast-forward would do");
  command.add_flag("--continue", args->resume,
                   "commit the stopped merge once every conflict is settled");
  command.add_flag("--abort", args->abort, "drop the stopped merge");
  return [args](const GlobalOptions& globals) {
    int modes = !args->source.empty() + args->resume + args->abort;
    if (modes != 1)
      return report_usage(
          "merge: give exactly one of SOURCE, --continue, --abort (see gitstate "
          "merge --help)");
    if (args->resume || args->abort) return finish(globals, *args);
    bool no_ff = args->no_ff;
    const std::string& source = args->source;
    return run_merge_command(
        globals, args->merge, source,
        [&](const Repository& repo, const std::string& branch, BranchMergeOptions options) {
          options.no_ff = no_ff;
          return merge(repo, source, branch, options);
        });
  };
}

}  // namespace gitstate::cli
