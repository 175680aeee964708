// gitstate merge-base A B: the best common ancestors of two commits, one id per line.
#include <algorithm>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/plumbing/merge_base.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct MergeBaseArgs {
  std::string a;
  std::string b;
};
}  // namespace

Action setup_merge_base(CLI::App& command) {
  auto args = std::make_shared<MergeBaseArgs>();
  command.add_option("A", args->a, "a revision")->required();
  command.add_option("B", args->b, "another revision")->required();
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto a = resolve_input(*repo, args->a);
    if (!a.is_ok()) return report(a.status());
    auto b = resolve_input(*repo, args->b);
    if (!b.is_ok()) return report(b.status());
    auto bases = merge_bases(*repo->git_dir(), *a, *b);
    if (!bases.is_ok()) return report(bases.status());
    if (bases->empty())
      return report(not_found("no common ancestor of " + args->a + " and " + args->b));
    std::sort(bases->begin(), bases->end());
    for (const Oid& base : *bases) print_id(base);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
