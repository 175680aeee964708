// The common path of the commands that merge into a branch (merge, revert,
// cherry-pick): their options, and how an outcome is printed.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "command.h"
#include "gitstate/merge.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"
#include "write_options.h"

namespace gitstate::cli {

struct MergeArgs {
  WriteOptions write;  // -b is the branch merged into
  MergeStrategy strategy = MergeStrategy::kReport;
};

// Adds the write options (-b, -m, --author, --tag, ...) and
// --strategy fail|ours|theirs.
void add_merge_options(CLI::App& command, MergeArgs& args);

// Adds --strategy fail|ours|theirs (how conflicts are settled) to `command`.
void add_strategy_option(CLI::App& command, MergeStrategy& strategy);

using MergeCall = std::function<Result<BranchMergeOutcome>(
    const Repository& repo, const std::string& branch, const BranchMergeOptions& options)>;

// Opens the repository, checks REV (`source`) and the -b branch (bad input,
// exit 2, when either names nothing), runs `call` and prints the outcome as
// one JSON document:
//   {"bases":[ids],"commit":"<branch head after>","conflicts":[conflict_json],
//    "resolved":[{"path","with":"ours|theirs|resolver"}],
//    "result":"up-to-date|fast-forward|merged|conflicts","source":"<id>"}
// Exit 0, or 1 with conflicts (the merge is stopped; a hint goes to stderr).
int run_merge_command(const GlobalOptions& globals, const MergeArgs& args,
                      const std::string& source, const MergeCall& call);

// The JSON document run_merge_command() prints for an outcome.
nlohmann::json merge_outcome_json(const BranchMergeOutcome& outcome);

// Tells on stderr how to finish a merge stopped with `conflicts` conflicts.
void print_stopped_merge_hint(size_t conflicts);

using RevCall = Result<BranchMergeOutcome> (*)(const Repository& repo, std::string_view rev,
                                               std::string_view branch,
                                               const BranchMergeOptions& options);

// The setup of a command that merges one commit's change (revert,
// cherry-pick): REV (described by `rev_help`), the merge options, and
// run_merge_command() calling `call`.
Action setup_rev_merge(CLI::App& command, const char* rev_help, RevCall call);

}  // namespace gitstate::cli
