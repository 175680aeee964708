#include "gitstate/merge.h"
#include "merge_internal.h"
#include "message_internal.h"
#include "perspective_internal.h"

namespace gitstate {

namespace {
// The message a revert (`reverse`) or cherry-pick of `source` gets by default.
std::string default_message(const CommitData& commit, const Oid& source, bool reverse) {
  ParsedMessage parsed = parse_message(commit.message);
  if (!reverse) return parsed.body + "\n\n(cherry picked from commit " + source.hex() + ")";
  std::string subject = parsed.body.substr(0, parsed.body.find('\n'));
  return "Revert \"" + subject + "\"\n\nThis reverts commit " + source.hex() + ".";
}

Result<BranchMergeOutcome> pick(const Repository& repo, std::string_view rev,
                                std::string_view branch, const BranchMergeOptions& options,
                                bool reverse) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "a revert or cherry-pick"));
  RepositoryState& state = state_of(repo);
  MergePlan plan;
  plan.operation = reverse ? "revert" : "cherry-pick";
  GITSTATE_ASSIGN_OR_RETURN(plan.branch, branch_or_current(state, branch));
  GITSTATE_RETURN_IF_ERROR(refuse_if_stopped(state, plan.branch));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, plan.branch));
  if (!head) return not_found("branch '" + plan.branch + "' has no commit to " + plan.operation);
  plan.head = *head;
  GITSTATE_ASSIGN_OR_RETURN(plan.source, repo.resolve(rev));
  GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, plan.source));
  std::optional<Oid> parent;
  if (!commit.parents.empty()) parent = commit.parents.front();
  GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, tree_of(*state.store, parent));
  plan.base = reverse ? commit.tree : parent_tree;
  plan.theirs = reverse ? parent_tree : commit.tree;
  std::string message =
      options.message.empty() ? default_message(commit, plan.source, reverse) : options.message;
  GITSTATE_ASSIGN_OR_RETURN(plan.message, format_message(message, options.tags));
  return run_plan(repo, plan, options);
}
}  // namespace

Result<BranchMergeOutcome> cherry_pick(const Repository& repo, std::string_view rev,
                                       std::string_view branch, const BranchMergeOptions& options) {
  return retry_while_moved([&] { return pick(repo, rev, branch, options, false); });
}

Result<BranchMergeOutcome> revert(const Repository& repo, std::string_view rev,
                                  std::string_view branch, const BranchMergeOptions& options) {
  return retry_while_moved([&] { return pick(repo, rev, branch, options, true); });
}

}  // namespace gitstate
