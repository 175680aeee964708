// gitstate blame PATH [--at REV]: for each leaf under PATH, the commit that last changed it.
#include <map>
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
struct BlameArgs {
  std::string path;
  std::string at;
  std::string perspective;
  std::string allowed_signers;
};
}  // namespace

Action setup_blame(CLI::App& command) {
  auto args = std::make_shared<BlameArgs>();
  command.add_option("PATH", args->path, "JSON Pointer (\"\" is the whole state)")->required();
  command.add_option("--at", args->at, "revision to blame (default: the current branch)");
  add_perspective_option(command, args->perspective);
  add_allowed_signers_option(command, args->allowed_signers);
  return [args](const GlobalOptions& globals) {
    auto repo = open_through(globals, args->perspective);
    if (!repo.is_ok()) return report(repo.status());
    auto rev = pin_revision(*repo, args->at);
    if (!rev.is_ok()) return report(rev.status());
    auto entries = blame(*repo, args->path, *rev);
    if (!entries.is_ok()) return report(at_revision(entries.status(), args->at));
    auto signers = chosen_signers(*repo, args->allowed_signers);
    if (!signers.is_ok()) return report(signers.status());
    std::map<Oid, SignatureCheck> checked;  // many leaves share a commit
    nlohmann::json out = nlohmann::json::array();
    for (const BlameEntry& entry : *entries) {
      auto found = checked.find(entry.commit);
      if (found == checked.end()) {
        auto signature = signature_of(*repo, entry.commit, *signers);
        if (!signature.is_ok()) return report(signature.status());
        found = checked.emplace(entry.commit, *signature).first;
      }
      nlohmann::json item = {{"path", entry.path},
                             {"commit", entry.commit.hex()},
                             {"author", format_identity(entry.author)},
                             {"time", entry.author.time}};
      add_signature_fields(item, found->second);
      out.push_back(std::move(item));
    }
    print_json(out);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
