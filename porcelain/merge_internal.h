// The pieces of a branch merge: the configured rules and the base tree.
//
// Thread-safety: functions may run in parallel threads on one repository.
#pragma once

#include <string>
#include <vector>

#include "gitstate/merge.h"

#include "commit_engine_internal.h"
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

// A three-way merge to finish on a branch: what merge, revert and
// cherry-pick share.
struct MergePlan {
  std::string operation;  // "merge", "revert", "cherry-pick"
  std::string branch;
  Oid head;                   // ours: the branch head the plan was made on
  Oid source;                 // the commit merged, reverted or picked
  Oid base;                   // the base state tree
  Oid theirs;                 // theirs' state tree
  bool merge_commit = false;  // source becomes the second parent
  std::string message;        // the commit message, formatted
  std::vector<Oid> bases;     // merge bases (merge only), sorted
};

// How many times merge, revert and cherry-pick start over when the branch
// moved under them.
inline constexpr int kMergeAttempts = 8;

// Runs `attempt` (a whole merge, revert or cherry-pick, from reading the
// branch head on) and runs it again while it fails with kModified, up to
// kMergeAttempts times in all; returns the last outcome.
template <typename Attempt>
Result<BranchMergeOutcome> retry_while_moved(Attempt attempt) {
  Result<BranchMergeOutcome> outcome = attempt();
  for (int n = 1;
       n < kMergeAttempts && !outcome.is_ok() && outcome.status().code() == Code::kModified; ++n)
    outcome = attempt();
  return outcome;
}

// kConflict when a merge is stopped on `branch` (stopped_merge()).
Status refuse_if_stopped(RepositoryState& state, const std::string& branch);

// Merges plan.theirs into the branch head against plan.base with the
// configured rules, then `strategy` / `resolver`, and commits a clean result
// (publish_chain; kModified when the branch moved) or records the stopped
// merge. Errors as merge().
Result<BranchMergeOutcome> run_plan(const Repository& repo, const MergePlan& plan,
                                    const BranchMergeOptions& options);

// Moves the branch from plan.head to chain.head (publish_chain); kModified,
// changing nothing, when the branch moved. Returns the new head.
Result<Oid> publish_plan(RepositoryState& state, const MergePlan& plan, Chain chain);

// Commits `tree` as the result of `plan` by `author` and moves the branch
// from plan.head to it (kModified when the branch moved). Returns the commit.
// Signed with the handle's signing key (repository.h).
Result<Oid> commit_plan(const Repository& repo, const MergePlan& plan, const Oid& tree,
                        const Signature& author);

// The record of a stopped merge (docs/merge.md): the plan, every conflict the
// merge reported, and the settlements so far; `id` is the record's commit.
struct StoppedRecord {
  MergePlan plan;
  std::vector<Conflict> conflicts;
  std::vector<Settlement> settled;
  Oid id;
};

// "refs/gitstate/merge/<branch>".
std::string stopped_ref(const std::string& branch);

// The record on `branch`, nullopt when none. kCorrupt when unreadable.
Result<std::optional<StoppedRecord>> read_stopped(RepositoryState& state,
                                                  const std::string& branch);

// Writes `record` (durably) and points the branch's record ref at it if the
// ref is still at `expected` (nullopt: absent); returns the new record id.
// kModified when it is not.
Result<Oid> write_stopped(RepositoryState& state, const StoppedRecord& record,
                          const std::optional<Oid>& expected, const Signature& who);

}  // namespace gitstate
