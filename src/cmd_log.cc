// gitstate log [REV]: history, newest first; --json gives JSON Lines.
#include <iostream>
#include <memory>

#include "commands.h"
#include "commit_json.h"
#include "exit_status.h"
#include "gitstate/history.h"
#include "json_io.h"
#include "repository_access.h"
#include "signature_output.h"
#include "time_text.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct LogArgs {
  std::string rev;
  std::string path;
  std::string author;
  std::string tag;
  std::string since;
  std::string until;
  size_t max_count = 0;
  bool first_parent = false;
  bool json = false;
  std::string perspective;
  std::string allowed_signers;
};

Result<LogOptions> make_log_options(const Repository& repo, const LogArgs& args) {
  LogOptions options;
  GITSTATE_ASSIGN_OR_RETURN(options.rev, pin_revision(repo, args.rev));
  options.path = args.path;
  options.author = args.author;
  options.tag = args.tag;
  GITSTATE_RETURN_IF_ERROR(parse_time_bounds(args.since, args.until, options.since, options.until));
  options.max_count = args.max_count;
  options.first_parent = args.first_parent;
  return options;
}
}  // namespace

Action setup_log(CLI::App& command) {
  auto args = std::make_shared<LogArgs>();
  command.add_option("REV", args->rev, "where the history starts (default: the current branch)");
  command.add_option("--path", args->path, "only commits that change PATH or anything under it");
  command.add_option("--author", args->author,
                     "only commits whose author name or email contains A");
  command.add_option("--tag", args->tag, "only commits with this State-Tag");
  command.add_option("--since", args->since,
                     "only commits at or after T (unix seconds or ISO-8601)");
  command.add_option("--until", args->until,
                     "only commits at or before T (unix seconds or ISO-8601)");
  command.add_option("-n,--max-count", args->max_count, "at most N commits");
  command.add_flag("--first-parent", args->first_parent, "follow first parents only");
  command.add_flag("--json", args->json,
                   "JSON Lines: {commit, parents, author, time, message, tags, signer, signature}");
  add_perspective_option(command, args->perspective);
  add_allowed_signers_option(command, args->allowed_signers);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto options = make_log_options(*repo, *args);
    if (!options.is_ok()) return report(options.status());
    auto signers = chosen_signers(*repo, args->allowed_signers);
    if (!signers.is_ok()) return report(signers.status());
    Status failure;
    Status walked = walk_log(*repo, *options, [&](const CommitInfo& commit) {
      auto signature = signature_of(*repo, commit.id, *signers);
      if (!signature.is_ok()) {
        failure = signature.status();
        return false;
      }
      if (args->json) {
        nlohmann::json out = commit_json(commit);
        add_signature_fields(out, *signature);
        print_json(out);
      } else {
        print_commit_text(std::cout, commit, *signature);
      }
      return static_cast<bool>(std::cout);
    });
    if (!walked.is_ok()) return report(walked);
    if (!failure.is_ok()) return report(failure);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
