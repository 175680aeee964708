#include "event_publish_internal.h"
#include "merge_internal.h"

namespace gitstate {

Result<Oid> publish_plan(RepositoryState& state, const MergePlan& plan, Chain chain) {
  auto refuse = [&](const Oid& now, Chain&) {
    return Status(Code::kModified, "branch '" + plan.branch + "' moved to " + short_id(now) +
                                       " during the " + plan.operation +
                                       "; nothing changed, try again");
  };
  if (plan.operation == "merge") chain.merge = MergeNote{plan.operation, plan.source};
  GITSTATE_ASSIGN_OR_RETURN(Chain landed,
                            publish_chain(state, plan.branch, std::move(chain), refuse));
  return *landed.head;
}

Result<Oid> commit_plan(const Repository& repo, const MergePlan& plan, const Oid& tree,
                        const Signature& author) {
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(Oid ours, tree_of(*state.store, plan.head));
  Chain chain = start_chain(plan.head, ours);
  CommitRecipe recipe;
  recipe.message = plan.message;
  recipe.author = author;
  recipe.committer = author;
  if (plan.merge_commit) recipe.merged = {plan.source};
  GITSTATE_ASSIGN_OR_RETURN(recipe.signer, repo.signing_key());
  GITSTATE_RETURN_IF_ERROR(append_commit(*state.store, chain, recipe, tree, {}));
  return publish_plan(state, plan, std::move(chain));
}

Result<BranchMergeOutcome> run_plan(const Repository& repo, const MergePlan& plan,
                                    const BranchMergeOptions& options) {
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(MergeOptions merge_options, configured_merge_options(*state.git_dir));
  merge_options.strategy = options.strategy;
  merge_options.resolver = options.resolver;
  GITSTATE_ASSIGN_OR_RETURN(Oid ours, tree_of(*state.store, plan.head));
  GITSTATE_ASSIGN_OR_RETURN(MergeResult result,
                            merge_trees(*state.store, plan.base, ours, plan.theirs, merge_options));
  BranchMergeOutcome outcome;
  outcome.head = plan.head;
  outcome.source = plan.source;
  outcome.bases = plan.bases;
  outcome.resolved = std::move(result.resolved);
  Signature who = options.author.value_or(repo.default_identity());
  if (!result.clean) {
    StoppedRecord record{plan, result.conflicts, {}, {}};
    GITSTATE_RETURN_IF_ERROR(write_stopped(state, record, std::nullopt, who).status());
    publish_merge_stopped(state, plan.branch, plan.operation, plan.head, plan.source,
                          result.conflicts);
    outcome.kind = MergeKind::kConflicted;
    outcome.conflicts = std::move(result.conflicts);
    return outcome;
  }
  GITSTATE_ASSIGN_OR_RETURN(outcome.head, commit_plan(repo, plan, result.tree, who));
  outcome.kind = MergeKind::kMerged;
  return outcome;
}

}  // namespace gitstate
