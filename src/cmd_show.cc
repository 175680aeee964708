// gitstate show [REV]: a commit's metadata and its delta, as one JSON document.
#include <memory>

#include "commands.h"
#include "commit_json.h"
#include "exit_status.h"
#include "gitstate/history.h"
#include "json_io.h"
#include "repository_access.h"
#include "signature_output.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct ShowArgs {
  std::string rev;
  std::string perspective;
  std::string allowed_signers;
};
}  // namespace

Action setup_show(CLI::App& command) {
  auto args = std::make_shared<ShowArgs>();
  command.add_option("REV", args->rev, "the commit (default: the current branch)");
  add_perspective_option(command, args->perspective);
  add_allowed_signers_option(command, args->allowed_signers);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto id = resolve_input(*repo, args->rev);
    if (!id.is_ok()) return report(id.status());
    auto shown = show(*repo, id->hex());
    if (!shown.is_ok()) return report(shown.status());
    auto signers = chosen_signers(*repo, args->allowed_signers);
    if (!signers.is_ok()) return report(signers.status());
    auto signature = signature_of(*repo, *id, *signers);
    if (!signature.is_ok()) return report(signature.status());
    nlohmann::json out = commit_json(shown->commit);
    add_signature_fields(out, *signature);
    out["patch"] = shown->patch;
    print_json(out);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
