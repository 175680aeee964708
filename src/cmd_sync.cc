// gitstate sync dir PATH | sqlite DB TABLE --key COLUMN: three-way sync of a
// branch with an outside system (docs/adapters.md).
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/adapter_dir.h"
#include "gitstate/adapter_sqlite.h"
#include "gitstate/adapter_sync.h"
#include "gitstate/merge.h"
#include "json_io.h"
#include "merge_command.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct SyncArgs {
  WriteOptions write;  // -b, --author, --perspective, --sign-key
  MergeStrategy strategy = MergeStrategy::kReport;
  bool dry_run = false;
  std::string dir;
  std::string database, table, key;
  CLI::App* dir_command = nullptr;
};

const char* result_name(SyncResult result) {
  switch (result) {
    case SyncResult::kUpToDate:
      return "up-to-date";
    case SyncResult::kSynced:
      return "synced";
    case SyncResult::kConflicted:
      return "conflicts";
    case SyncResult::kDryRun:
      return "dry-run";
  }
  return "synced";
}

nlohmann::json outcome_json(const SyncOutcome& outcome) {
  nlohmann::json conflicts = nlohmann::json::array();
  for (const Conflict& conflict : outcome.plan.conflicts)
    conflicts.push_back(conflict_json(conflict));
  nlohmann::json resolved = nlohmann::json::array();
  for (const Resolution& r : outcome.plan.resolved)
    resolved.push_back({{"path", format_pointer(r.conflict.path)},
                        {"with", r.with == ResolvedWith::kOurs     ? "ours"
                                 : r.with == ResolvedWith::kTheirs ? "theirs"
                                                                   : "resolver"}});
  nlohmann::json commits = nlohmann::json::array();
  for (const Oid& id : outcome.commits) commits.push_back(id.hex());
  return {{"adapter", outcome.adapter},
          {"applied", outcome.applied},
          {"base_after", id_or_null(outcome.base_after)},
          {"base_before", id_or_null(outcome.base_before)},
          {"branch", outcome.branch},
          {"commits", commits},
          {"conflicts", conflicts},
          {"head", outcome.head_after.hex()},
          {"incoming", outcome.plan.incoming},
          {"outgoing", outcome.plan.outgoing},
          {"ref", outcome.ref},
          {"resolved", resolved},
          {"result", result_name(outcome.result)}};
}

void add_sync_options(CLI::App& command, SyncArgs& args) {
  add_branch_options(command, args.write);
  command.add_option("--author", args.write.author,
                     "author of a merge commit, \"Name <email>\" (default: the repository's "
                     "identity)");
  add_strategy_option(command, args.strategy);
  command.add_flag("--dry-run", args.dry_run, "print the plan as JSON and change nothing");
}

int run_sync(const GlobalOptions& globals, const SyncArgs& args) {
  auto commit_options = make_commit_options(args.write);
  if (!commit_options.is_ok()) return report(commit_options.status());
  auto opened = open_through(globals, args.write.perspective);
  if (!opened.is_ok()) return report(opened.status());
  auto repo = with_signing_key(*opened, args.write.sign_key);
  if (!repo.is_ok()) return report(repo.status());
  const std::string& branch = args.write.branch;
  if (!branch.empty() && !resolve_input(*repo, "refs/heads/" + branch).is_ok())
    return report(invalid("-b " + branch + ": no such branch"));
  auto adapter = args.dir_command->parsed()
                     ? open_dir_adapter(args.dir)
                     : open_sqlite_adapter(args.database, args.table, args.key);
  if (!adapter.is_ok()) return report(as_input_error(adapter.status()));
  SyncOptions options;
  options.branch = branch;
  options.dry_run = args.dry_run;
  options.strategy = args.strategy;
  options.author = commit_options->author;
  auto outcome = sync_adapter(*repo, **adapter, options);
  if (!outcome.is_ok()) return report(outcome.status());
  print_json(outcome_json(*outcome));
  if (outcome->result != SyncResult::kConflicted) return kExitOk;
  std::cerr << "gitstate: stopped with " << outcome->plan.conflicts.size()
            << " conflict(s) and sent nothing out: settle each with `gitstate resolve PATH "
               "--ours|--theirs|--value JSON`, then `gitstate merge --continue` and sync again "
               "(or `gitstate merge --abort`)\n";
  return kExitRefused;
}
}  // namespace

Action setup_sync(CLI::App& command) {
  auto args = std::make_shared<SyncArgs>();
  command.require_subcommand(1);
  CLI::App* dir = command.add_subcommand("dir", "Sync with a directory of JSON files");
  dir->add_option("PATH", args->dir, "the directory (the state root)")->required();
  add_sync_options(*dir, *args);
  CLI::App* sqlite = command.add_subcommand("sqlite", "Sync with a table of an SQLite database");
  sqlite->add_option("DB", args->database, "the database file")->required();
  sqlite->add_option("TABLE", args->table, "the table")->required();
  sqlite->add_option("--key", args->key, "the column whose values name the rows")->required();
  add_sync_options(*sqlite, *args);
  dir->group("Outside systems");
  sqlite->group("Outside systems");
  args->dir_command = dir;
  return [args](const GlobalOptions& globals) { return run_sync(globals, *args); };
}

}  // namespace gitstate::cli
