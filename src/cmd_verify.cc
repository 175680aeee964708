// gitstate verify [REV]: signatures and object integrity of the history reachable from REV.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/verify.h"
#include "json_io.h"
#include "repository_access.h"
#include "signature_output.h"

namespace gitstate::cli {

namespace {
struct VerifyArgs {
  std::string rev;
  std::string allowed_signers;
  bool require_signatures = false;
  bool json = false;
};

nlohmann::json verdict_json(const CommitVerdict& verdict) {
  nlohmann::json problems = nlohmann::json::array();
  for (const VerifyProblem& p : verdict.problems)
    problems.push_back(
        {{"kind", p.kind}, {"path", p.path}, {"object", p.object.hex()}, {"message", p.message}});
  return {{"commit", verdict.commit.hex()},
          {"ok", verdict.ok},
          {"signature", signature_json(verdict.signature)},
          {"problems", problems}};
}

void print_human(const CommitVerdict& verdict) {
  std::cout << verdict.commit.hex() << (verdict.ok ? " ok" : " FAILED") << ": "
            << signature_text(verdict.signature) << "\n";
  for (const VerifyProblem& p : verdict.problems)
    std::cout << "    " << p.kind << " at " << (p.path.empty() ? "/" : p.path) << " (object "
              << p.object.hex() << "): " << p.message << "\n";
}
}  // namespace

Action setup_verify(CLI::App& command) {
  auto args = std::make_shared<VerifyArgs>();
  command.add_option("REV", args->rev, "where the history starts (default: the current branch)");
  add_allowed_signers_option(command, args->allowed_signers);
  command.add_flag("--require-signatures", args->require_signatures,
                   "unsigned commits fail (implied for a branch that requires signatures)");
  command.add_flag("--json", args->json, "JSON Lines, one per commit");
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    VerifyOptions options;
    options.allowed_signers = allowed_signers_file(args->allowed_signers);
    options.require_signatures = args->require_signatures;
    auto rev = pin_revision(*repo, args->rev);
    if (!rev.is_ok()) return report(rev.status());
    options.rev = args->rev;
    bool json = args->json;
    auto summary = verify_history(*repo, options, [json](const CommitVerdict& verdict) {
      if (json)
        print_json(verdict_json(verdict));
      else
        print_human(verdict);
    });
    if (!summary.is_ok()) return report(as_input_error(summary.status()));
    std::cerr << "Verified " << summary->commits << " commit(s) and " << summary->objects
              << " object(s): ";
    if (summary->ok())
      std::cerr << "all good";
    else
      std::cerr << summary->failed << " commit(s) failed";
    std::cerr << " (" << summary->unsigned_commits << " unsigned"
              << (summary->signatures_required ? ", signatures required" : "") << ")\n";
    return summary->ok() ? kExitOk : kExitRefused;
  };
}

}  // namespace gitstate::cli
