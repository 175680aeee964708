// The pieces of a branch merge: the configured rules and the base tree.
//
// Thread-safety: functions may run in parallel threads on one repository.
#pragma once

#include <vector>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/tree_merge.h"
#include "gitstate/result.h"
#include "repository_internal.h"

namespace gitstate {

// The merge rules and keyed arrays of the repository's git configuration:
// every `gitstate.mergeRule` value "GLOB ours|theirs|fail" and every
// `gitstate.keyedArray` value "GLOB KEY", in configuration order. kInvalid
// quoting the value when one is malformed; kIO when the config cannot be read.
Result<MergeOptions> configured_merge_options(GitDir& dir);

// The state tree to merge against, given the merge bases `bases` of the two
// sides (merge_bases()): the empty tree without a merge base, the base's tree
// with one, and with several a virtual base: the bases' trees merged
// pairwise, in id order, each pair against its own virtual base
// (recursively), conflicts taking the accumulated side (ours), keyed arrays
// as in `keyed_arrays`. kNotFound / kCorrupt / kIO when history or trees
// cannot be read.
Result<Oid> merge_base_tree(RepositoryState& state, std::vector<Oid> bases,
                            const std::vector<KeyedArray>& keyed_arrays);

}  // namespace gitstate
