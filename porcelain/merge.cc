#include "gitstate/merge.h"

#include <algorithm>

#include "commit_engine_internal.h"
#include "gitstate/plumbing/merge_base.h"
#include "merge_internal.h"
#include "message_internal.h"

namespace gitstate {

namespace {
// What every path of a merge needs: the branch, its head and the source.
struct MergeSides {
  std::string branch;
  Oid head;
  Oid source;
  std::vector<Oid> bases;
};

Result<MergeSides> read_sides(const Repository& repo, std::string_view source,
                              std::string_view branch) {
  RepositoryState& state = state_of(repo);
  MergeSides sides;
  GITSTATE_ASSIGN_OR_RETURN(sides.branch, branch_or_current(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, sides.branch));
  if (!head) return not_found("branch '" + sides.branch + "' has no commit to merge into");
  sides.head = *head;
  GITSTATE_ASSIGN_OR_RETURN(sides.source, repo.resolve(source));
  GITSTATE_ASSIGN_OR_RETURN(sides.bases, merge_bases(*state.git_dir, sides.head, sides.source));
  std::sort(sides.bases.begin(), sides.bases.end());
  return sides;
}

Status refuse_moved(const std::string& branch, const Oid& now) {
  return Status(Code::kModified, "branch '" + branch + "' moved to " + short_id(now) +
                                     " during the merge; nothing changed, merge again");
}

// Moves the branch from the head the merge started on to `chain.head`.
Result<Oid> publish_merge(RepositoryState& state, const MergeSides& sides, Chain chain) {
  auto refuse = [&](const Oid& now, Chain&) { return refuse_moved(sides.branch, now); };
  GITSTATE_ASSIGN_OR_RETURN(Chain landed,
                            publish_chain(state, sides.branch, std::move(chain), refuse));
  return *landed.head;
}

Result<CommitRecipe> merge_recipe(const Repository& repo, std::string_view source,
                                  const MergeSides& sides, const BranchMergeOptions& options) {
  CommitRecipe recipe;
  std::string message = options.message.empty()
                            ? "Merge " + std::string(source) + " into " + sides.branch
                            : options.message;
  GITSTATE_ASSIGN_OR_RETURN(recipe.message, format_message(message, {}));
  recipe.author = options.author.value_or(repo.default_identity());
  recipe.committer = recipe.author;
  recipe.merged = {sides.source};
  return recipe;
}
}  // namespace

Result<BranchMergeOutcome> merge(const Repository& repo, std::string_view source,
                                 std::string_view branch, const BranchMergeOptions& options) {
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(MergeSides sides, read_sides(repo, source, branch));
  BranchMergeOutcome outcome;
  outcome.head = sides.head;
  outcome.source = sides.source;
  outcome.bases = sides.bases;
  bool single_base = sides.bases.size() == 1;
  if (sides.head == sides.source || (single_base && sides.bases.front() == sides.source))
    return outcome;
  GITSTATE_ASSIGN_OR_RETURN(Oid ours, tree_of(*state.store, sides.head));
  GITSTATE_ASSIGN_OR_RETURN(Oid theirs, tree_of(*state.store, sides.source));
  Chain chain = start_chain(sides.head, ours);
  if (single_base && sides.bases.front() == sides.head && !options.no_ff) {
    chain.head = sides.source;
    chain.tree = theirs;
    GITSTATE_ASSIGN_OR_RETURN(outcome.head, publish_merge(state, sides, std::move(chain)));
    outcome.kind = MergeKind::kFastForward;
    return outcome;
  }
  GITSTATE_ASSIGN_OR_RETURN(MergeOptions merge_options, configured_merge_options(*state.git_dir));
  merge_options.strategy = options.strategy;
  merge_options.resolver = options.resolver;
  GITSTATE_ASSIGN_OR_RETURN(Oid base,
                            merge_base_tree(state, sides.bases, merge_options.keyed_arrays));
  GITSTATE_ASSIGN_OR_RETURN(MergeResult result,
                            merge_trees(*state.store, base, ours, theirs, merge_options));
  outcome.resolved = std::move(result.resolved);
  if (!result.clean) {
    outcome.kind = MergeKind::kConflicted;
    outcome.conflicts = std::move(result.conflicts);
    return outcome;
  }
  GITSTATE_ASSIGN_OR_RETURN(CommitRecipe recipe, merge_recipe(repo, source, sides, options));
  append_commit(*state.store, chain, recipe, result.tree, {});
  GITSTATE_ASSIGN_OR_RETURN(outcome.head, publish_merge(state, sides, std::move(chain)));
  outcome.kind = MergeKind::kMerged;
  return outcome;
}

}  // namespace gitstate
