// gitstate audit [REV]: the audit trail, one JSON line per change of a leaf.
#include <iostream>
#include <memory>

#include "commands.h"
#include "commit_json.h"
#include "exit_status.h"
#include "gitstate/audit.h"
#include "json_io.h"
#include "repository_access.h"
#include "signature_output.h"
#include "time_text.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct AuditArgs {
  std::string rev;
  std::string path;
  std::string since;
  std::string until;
  bool first_parent = false;
  std::string perspective;
  std::string allowed_signers;
};

Result<AuditOptions> make_audit_options(const Repository& repo, const AuditArgs& args) {
  AuditOptions options;
  GITSTATE_ASSIGN_OR_RETURN(options.rev, pin_revision(repo, args.rev));
  options.path = args.path;
  GITSTATE_RETURN_IF_ERROR(parse_time_bounds(args.since, args.until, options.since, options.until));
  options.first_parent = args.first_parent;
  options.allowed_signers = allowed_signers_file(args.allowed_signers);
  return options;
}

nlohmann::json record_json(const AuditRecord& record) {
  const char* op = !record.old_value ? "add" : !record.new_value ? "remove" : "replace";
  nlohmann::json out = {{"commit", record.commit.id.hex()},
                        {"author", format_identity(record.commit.author)},
                        {"committer", format_identity(record.commit.committer)},
                        {"time", record.commit.committer.time},
                        {"path", record.path},
                        {"op", op},
                        {"message", record.commit.message},
                        {"tags", record.commit.tags}};
  if (record.old_value) out["old"] = *record.old_value;
  if (record.new_value) out["new"] = *record.new_value;
  add_signature_fields(out, record.signature);
  return out;
}
}  // namespace

Action setup_audit(CLI::App& command) {
  auto args = std::make_shared<AuditArgs>();
  command.add_option("REV", args->rev, "where the history starts (default: the current branch)");
  command.add_option("--path", args->path, "only changes at PATH or under it");
  command.add_option("--since", args->since,
                     "only commits at or after T (unix seconds or ISO-8601)");
  command.add_option("--until", args->until,
                     "only commits at or before T (unix seconds or ISO-8601)");
  command.add_flag("--first-parent", args->first_parent,
                   "follow first parents only: the changes as they landed on the branch");
  add_perspective_option(command, args->perspective);
  add_allowed_signers_option(command, args->allowed_signers);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto options = make_audit_options(*repo, *args);
    if (!options.is_ok()) return report(options.status());
    Status walked = walk_audit(*repo, *options, [](const AuditRecord& record) {
      print_json(record_json(record));
      return static_cast<bool>(std::cout);
    });
    if (!walked.is_ok()) return report(as_input_error(walked));
    return kExitOk;
  };
}

}  // namespace gitstate::cli
