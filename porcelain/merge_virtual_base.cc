#include <algorithm>

#include "gitstate/plumbing/merge_base.h"
#include "merge_internal.h"

namespace gitstate {

Result<Oid> merge_base_tree(RepositoryState& state, std::vector<Oid> bases,
                            const std::vector<KeyedArray>& keyed_arrays) {
  std::sort(bases.begin(), bases.end());
  if (bases.empty()) return tree_of(*state.store, std::nullopt);
  GITSTATE_ASSIGN_OR_RETURN(Oid merged, tree_of(*state.store, bases.front()));
  MergeOptions options;
  options.strategy = MergeStrategy::kOurs;
  options.keyed_arrays = keyed_arrays;
  for (size_t i = 1; i < bases.size(); ++i) {
    GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> inner,
                              merge_bases(*state.git_dir, bases.front(), bases[i]));
    GITSTATE_ASSIGN_OR_RETURN(Oid base, merge_base_tree(state, std::move(inner), keyed_arrays));
    GITSTATE_ASSIGN_OR_RETURN(Oid next, tree_of(*state.store, bases[i]));
    GITSTATE_ASSIGN_OR_RETURN(MergeResult result,
                              merge_trees(*state.store, base, merged, next, options));
    merged = result.tree;
  }
  return merged;
}

}  // namespace gitstate
