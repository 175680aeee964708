// gitstate update-ref REF NEW [OLD]: compare-and-swap a ref.
#include <memory>
#include <optional>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/verify.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct UpdateRefArgs {
  std::string ref;
  std::string new_value;
  std::string old_value;
  const CLI::Option* old_given = nullptr;
};

// The branch policy (verify.h) when REF is a branch, or HEAD naming one.
Status check_branch_policy(const Repository& repo, const std::string& ref, const Oid& new_value,
                           const std::optional<Oid>& old) {
  constexpr std::string_view kHeads = "refs/heads/";
  std::string branch;
  if (ref.rfind(kHeads, 0) == 0) {
    branch = ref.substr(kHeads.size());
  } else if (ref == "HEAD") {
    auto current = repo.current_branch();
    if (!current.is_ok()) return Status::ok();
    branch = *current;
  } else {
    return Status::ok();
  }
  return check_signature_policy(repo, branch, new_value, old);
}

bool means_absent(const std::string& old_value) {
  return old_value.empty() || old_value.find_first_not_of('0') == std::string::npos;
}

// The value the ref must have now: OLD when given ("" or zeros: absent),
// otherwise the value it has when read.
Result<std::optional<Oid>> expected_old(const Repository& repo, const UpdateRefArgs& args) {
  if (args.old_given->count() == 0) return read_ref(*repo.git_dir(), args.ref);
  if (means_absent(args.old_value)) return std::optional<Oid>();
  GITSTATE_ASSIGN_OR_RETURN(Oid old, resolve_input(repo, args.old_value));
  return std::optional<Oid>(old);
}
}  // namespace

Action setup_update_ref(CLI::App& command) {
  auto args = std::make_shared<UpdateRefArgs>();
  command.add_option("REF", args->ref, "full ref name (refs/heads/main, refs/tags/v1, HEAD)")
      ->required();
  command.add_option("NEW", args->new_value, "the revision the ref will point at")->required();
  args->old_given =
      command.add_option("OLD", args->old_value,
                         "the value the ref must have now; \"\" or 40 zeros: it must not exist");
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto new_value = resolve_input(*repo, args->new_value);
    if (!new_value.is_ok()) return report(new_value.status());
    auto old = expected_old(*repo, *args);
    if (!old.is_ok()) return report(old.status().with_context("update-ref " + args->ref));
    if (auto allowed = check_branch_policy(*repo, args->ref, *new_value, *old); !allowed.is_ok())
      return report(allowed.with_context("update-ref " + args->ref));
    Status updated =
        update_ref(*repo->git_dir(), args->ref, *new_value, *old, "gitstate update-ref");
    if (!updated.is_ok()) return report(updated.with_context("update-ref " + args->ref));
    return kExitOk;
  };
}

}  // namespace gitstate::cli
