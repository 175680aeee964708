#include "gitstate/merge.h"

#include <algorithm>

#include "gitstate/plumbing/merge_base.h"
#include "merge_internal.h"
#include "message_internal.h"
#include "perspective_internal.h"

namespace gitstate {

namespace {
Result<BranchMergeOutcome> merge_once(const Repository& repo, std::string_view source,
                                      std::string_view branch, const BranchMergeOptions& options) {
  RepositoryState& state = state_of(repo);
  MergePlan plan;
  plan.operation = "merge";
  plan.merge_commit = true;
  GITSTATE_ASSIGN_OR_RETURN(plan.branch, branch_or_current(state, branch));
  GITSTATE_RETURN_IF_ERROR(refuse_if_stopped(state, plan.branch));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, plan.branch));
  if (!head) return not_found("branch '" + plan.branch + "' has no commit to merge into");
  plan.head = *head;
  GITSTATE_ASSIGN_OR_RETURN(plan.source, repo.resolve(source));
  GITSTATE_ASSIGN_OR_RETURN(plan.bases, merge_bases(*state.git_dir, plan.head, plan.source));
  std::sort(plan.bases.begin(), plan.bases.end());

  BranchMergeOutcome outcome;
  outcome.head = plan.head;
  outcome.source = plan.source;
  outcome.bases = plan.bases;
  bool single_base = plan.bases.size() == 1;
  if (plan.head == plan.source || (single_base && plan.bases.front() == plan.source))
    return outcome;
  GITSTATE_ASSIGN_OR_RETURN(plan.theirs, tree_of(*state.store, plan.source));
  if (single_base && plan.bases.front() == plan.head && !options.no_ff) {
    GITSTATE_ASSIGN_OR_RETURN(Oid ours, tree_of(*state.store, plan.head));
    Chain chain = start_chain(plan.head, ours);
    chain.head = plan.source;
    chain.tree = plan.theirs;
    GITSTATE_ASSIGN_OR_RETURN(outcome.head, publish_plan(state, plan, std::move(chain)));
    outcome.kind = MergeKind::kFastForward;
    return outcome;
  }
  GITSTATE_ASSIGN_OR_RETURN(MergeOptions configured, configured_merge_options(*state.git_dir));
  GITSTATE_ASSIGN_OR_RETURN(plan.base, merge_base_tree(state, plan.bases, configured.keyed_arrays));
  std::string message = options.message.empty()
                            ? "Merge " + std::string(source) + " into " + plan.branch
                            : options.message;
  GITSTATE_ASSIGN_OR_RETURN(plan.message, format_message(message, options.tags));
  return run_plan(repo, plan, options);
}
}  // namespace

Result<BranchMergeOutcome> merge(const Repository& repo, std::string_view source,
                                 std::string_view branch, const BranchMergeOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "merge"));
  return retry_while_moved([&] { return merge_once(repo, source, branch, options); });
}

}  // namespace gitstate
