// gitstate squash --before TIME -b BRANCH [--force] [--author A] [--sign-key FILE] [--json]
// | --list-archives [-b BRANCH] | --delete-archive REF: retention by rewriting a
// branch's old history as one snapshot commit, its old head kept under an archive ref.
#include <ctime>
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/squash.h"
#include "json_io.h"
#include "repository_access.h"
#include "time_text.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct SquashArgs {
  std::string before;
  std::string branch;
  std::string author;
  std::string sign_key;
  std::string to_delete;
  bool force = false;
  bool json = false;
  bool list = false;
  const CLI::Option* delete_given = nullptr;
};

nlohmann::json result_json(const std::string& branch, const SquashResult& r) {
  auto if_squashed = [&r](const Oid& id) {
    return id_or_null(r.squashed ? std::optional<Oid>(id) : std::nullopt);
  };
  nlohmann::json out = {{"squashed", r.squashed},
                        {"branch", branch},
                        {"old_head", r.old_head.hex()},
                        {"new_head", r.new_head.hex()},
                        {"snapshot", if_squashed(r.snapshot)},
                        {"state_of", if_squashed(r.state_of)},
                        {"archive", r.squashed ? nlohmann::json(r.archive) : nlohmann::json()},
                        {"replaced", r.replaced},
                        {"recreated", r.recreated},
                        {"flattened_merges", r.flattened_merges},
                        {"archived_tags", r.archived_tags}};
  if (r.squashed) {
    out["oldest"] = r.oldest;
    out["newest"] = r.newest;
  }
  return out;
}

void print_summary(const std::string& branch, const std::string& before, const SquashResult& r) {
  if (!r.squashed) {
    std::cerr << "Nothing to squash: branch '" << branch << "' has no history before " << before
              << " but a root commit\n";
    return;
  }
  std::cerr << "Squashed " << r.replaced << " commit(s) of '" << branch << "' before " << before
            << " into snapshot " << r.snapshot.hex() << "; re-created " << r.recreated
            << " commit(s)";
  if (r.flattened_merges > 0) std::cerr << " (" << r.flattened_merges << " merge(s) flattened)";
  std::cerr << "\nThe old history is kept under " << r.archive
            << " (delete it with: gitstate squash --delete-archive " << r.archive << ")\n";
  if (!r.archived_tags.empty()) {
    std::cerr << "Tags left on the archived history:";
    for (const std::string& tag : r.archived_tags) std::cerr << " " << tag;
    std::cerr << "\n";
  }
}

int list_archived(const Repository& repo, const std::string& branch) {
  auto archives = list_archives(repo, branch);
  if (!archives.is_ok()) return report(as_input_error(archives.status()));
  nlohmann::json out = nlohmann::json::array();
  for (const ArchiveInfo& archive : *archives)
    out.push_back({{"ref", archive.ref},
                   {"branch", archive.branch},
                   {"stamp", archive.stamp},
                   {"head", archive.head.hex()}});
  print_json(out);
  return kExitOk;
}

int run_squash(const Repository& opened, const SquashArgs& args) {
  if (args.before.empty() || args.branch.empty())
    return report_usage(
        "squash: --before TIME and -b BRANCH are required (see gitstate squash "
        "--help)");
  SquashOptions options;
  options.branch = args.branch;
  options.force = args.force;
  auto before = parse_time_argument(args.before, DateBound::kStartOfDay);
  if (!before.is_ok()) return report(before.status().with_context("--before"));
  options.before = *before;
  if (!args.author.empty()) {
    auto identity = parse_identity(args.author, static_cast<int64_t>(std::time(nullptr)));
    if (!identity.is_ok()) return report(identity.status().with_context("--author"));
    options.identity = *identity;
  }
  auto repo = with_signing_key(opened, args.sign_key);
  if (!repo.is_ok()) return report(repo.status());
  auto squashed = squash(*repo, options);
  if (!squashed.is_ok()) return report(as_input_error(squashed.status()));
  if (args.json)
    print_json(result_json(args.branch, *squashed));
  else
    print_id(squashed->new_head);
  print_summary(args.branch, args.before, *squashed);
  return kExitOk;
}
}  // namespace

Action setup_squash(CLI::App& command) {
  auto args = std::make_shared<SquashArgs>();
  auto* before = command.add_option(
      "--before", args->before,
      "replace the history committed before TIME (as log --since reads it) with one snapshot");
  command.add_option("-b,--branch", args->branch,
                     "the branch to squash (required), or whose archives to list");
  auto* force =
      command.add_flag("--force", args->force, "also squash a branch that requires signed commits");
  auto* author =
      command.add_option("--author", args->author,
                         "who squashes, as \"Name <email>\" (default: the repository's identity)");
  command.add_flag("--json", args->json, "print the outcome as JSON");
  add_sign_key_option(command, args->sign_key);
  auto* list = command.add_flag("--list-archives", args->list,
                                "list the archive refs (of -b BRANCH) as JSON");
  auto* remove = command.add_option("--delete-archive", args->to_delete,
                                    "delete this archive ref; its commits become unreachable");
  args->delete_given = remove;
  for (CLI::Option* option : {before, force, author}) {
    option->excludes(list);
    option->excludes(remove);
  }
  list->excludes(remove);
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    if (args->list) return list_archived(*repo, args->branch);
    if (args->delete_given->count() > 0) {
      if (auto deleted = delete_archive(*repo, args->to_delete); !deleted.is_ok())
        return report(deleted);
      std::cerr << "Deleted archive " << args->to_delete << "\n";
      return kExitOk;
    }
    return run_squash(*repo, *args);
  };
}

}  // namespace gitstate::cli
