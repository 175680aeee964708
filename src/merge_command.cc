#include "merge_command.h"

#include <iostream>
#include <map>
#include <memory>

#include "exit_status.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
const char* kind_name(MergeKind kind) {
  switch (kind) {
    case MergeKind::kUpToDate:
      return "up-to-date";
    case MergeKind::kFastForward:
      return "fast-forward";
    case MergeKind::kMerged:
      return "merged";
    case MergeKind::kConflicted:
      return "conflicts";
  }
  return "merged";
}

const char* resolved_name(ResolvedWith with) {
  switch (with) {
    case ResolvedWith::kOurs:
      return "ours";
    case ResolvedWith::kTheirs:
      return "theirs";
    case ResolvedWith::kResolver:
      return "resolver";
  }
  return "ours";
}

}  // namespace

nlohmann::json merge_outcome_json(const BranchMergeOutcome& outcome) {
  nlohmann::json bases = nlohmann::json::array();
  for (const Oid& base : outcome.bases) bases.push_back(base.hex());
  nlohmann::json conflicts = nlohmann::json::array();
  for (const Conflict& conflict : outcome.conflicts) conflicts.push_back(conflict_json(conflict));
  nlohmann::json resolved = nlohmann::json::array();
  for (const Resolution& r : outcome.resolved)
    resolved.push_back(
        {{"path", format_pointer(r.conflict.path)}, {"with", resolved_name(r.with)}});
  return {{"bases", bases},
          {"commit", outcome.head.hex()},
          {"conflicts", conflicts},
          {"resolved", resolved},
          {"result", kind_name(outcome.kind)},
          {"source", outcome.source.hex()}};
}

void print_stopped_merge_hint(size_t conflicts) {
  std::cerr << "gitstate: stopped with " << conflicts
            << " conflict(s): settle each with `gitstate resolve PATH --ours|--theirs|--value "
               "JSON`, then `gitstate merge --continue` (or `gitstate merge --abort`)\n";
}

void add_strategy_option(CLI::App& command, MergeStrategy& strategy) {
  const std::map<std::string, MergeStrategy> strategies{{"fail", MergeStrategy::kReport},
                                                        {"ours", MergeStrategy::kOurs},
                                                        {"theirs", MergeStrategy::kTheirs}};
  command.add_option("--strategy", strategy, "conflicts: fail (default), ours or theirs")
      ->transform(CLI::CheckedTransformer(strategies));
}

void add_merge_options(CLI::App& command, MergeArgs& args) {
  add_write_options(command, args.write);
  add_strategy_option(command, args.strategy);
}

int run_merge_command(const GlobalOptions& globals, const MergeArgs& args,
                      const std::string& source, const MergeCall& call) {
  auto commit_options = make_commit_options(args.write);
  if (!commit_options.is_ok()) return report(commit_options.status());
  auto opened = open_through(globals, args.write.perspective);
  if (!opened.is_ok()) return report(opened.status());
  auto repo = with_signing_key(*opened, args.write.sign_key);
  if (!repo.is_ok()) return report(repo.status());
  if (auto rev = resolve_input(*repo, source); !rev.is_ok()) return report(rev.status());
  const std::string& branch = args.write.branch;
  if (!branch.empty()) {
    auto head = resolve_input(*repo, "refs/heads/" + branch);
    if (!head.is_ok()) return report(invalid("-b " + branch + ": no such branch"));
  }
  BranchMergeOptions options;
  options.strategy = args.strategy;
  options.message = commit_options->message;
  options.tags = commit_options->tags;
  options.author = commit_options->author;
  auto outcome = call(*repo, branch, options);
  if (!outcome.is_ok()) return report(outcome.status());
  print_json(merge_outcome_json(*outcome));
  if (outcome->kind != MergeKind::kConflicted) return kExitOk;
  print_stopped_merge_hint(outcome->conflicts.size());
  return kExitRefused;
}

Action setup_rev_merge(CLI::App& command, const char* rev_help, RevCall call) {
  struct RevArgs {
    std::string rev;
    MergeArgs merge;
  };
  auto args = std::make_shared<RevArgs>();
  command.add_option("REV", args->rev, rev_help)->required();
  add_merge_options(command, args->merge);
  return [args, call](const GlobalOptions& globals) {
    return run_merge_command(
        globals, args->merge, args->rev,
        [&](const Repository& repo, const std::string& branch, const BranchMergeOptions& options) {
          return call(repo, args->rev, branch, options);
        });
  };
}

}  // namespace gitstate::cli
