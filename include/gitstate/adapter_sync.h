// Sync: three-way reconciliation of a branch with an outside system seen
// through an Adapter (adapter.h); the design and its guarantees are in
// docs/adapters.md.
//
// The base of the three-way is the state last synchronized with that adapter
// on that branch, kept in the ref refs/gitstate/sync/<adapter ref>/<branch>
// (docs/data-model.md). One side is the branch head, the other the system
// now. sync_adapter():
//   1. loads the system's state O and builds the commit T (tree O, parent the
//      base commit, author the adapter: "gitstate sync <kind>
//      <gitstate-sync@localhost>", message "Sync from <identity>" and the
//      trailer `State-Sync: <kind>-<digest>`, the last part of the ref);
//   2. merges the base tree, the head tree and O with the pure tree merge
//      (tree_merge.h, the repository's merge rules, then the strategy): this
//      is the plan. With dry_run, it stops here and changes nothing;
//   3. when the system changed something the branch should take, moves the
//      base ref to T, then fast-forwards the branch to T (when the branch
//      head is the base commit) or commits a merge commit (first parent the
//      head, second T; author options.author). Conflicts left (kReport) stop
//      the merge as `merge` does (refs/gitstate/merge/<branch>); finish it
//      with resolve and continue_merge, and sync again to send the result
//      out; after abort_merge the next sync offers the system's changes
//      again;
//   4. applies diff(O, new head) to the system, and moves the base ref to the
//      new head. When the system rejects operation k, the base ref moves to
//      a commit (trailer `State-Sync-Applied: k/N`) whose tree is exactly
//      what the system holds after operations 0..k-1, and the call fails
//      with the adapter's error naming the operation; running the sync again
//      sends the remaining operations and brings nothing spurious in.
// Nothing is committed when the merge result equals the head. Every ref move
// is a compare-and-swap; a branch moved by another writer during the sync
// makes it start over (up to 8 attempts), before anything went out.
//
// Thread-safety: as merge(); one sync per (adapter, branch) at a time (a
// second one loses the compare-and-swap of the base ref with kModified).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/adapter.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/tree_merge.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct SyncOptions {
  std::string branch;                               // empty: the current branch
  bool dry_run = false;                             // compute the plan only
  MergeStrategy strategy = MergeStrategy::kReport;  // for conflicts no rule settles
  std::optional<Signature> author;  // of a merge commit; default: the repository's identity
};

// What a sync does (or would do, with dry_run).
struct SyncPlan {
  nlohmann::json outgoing = nlohmann::json::array();  // RFC 6902: the changes sent to the system
  nlohmann::json incoming = nlohmann::json::array();  // RFC 6902: the changes the branch takes
  std::vector<Conflict> conflicts;                    // left to the stopped merge (kReport)
  std::vector<Resolution> resolved;                   // settled by rules or the strategy
};

enum class SyncResult {
  kUpToDate,    // both sides already held the synchronized state
  kSynced,      // changes went out and/or came in; both sides hold the head's state
  kConflicted,  // a merge is stopped on the branch; nothing went out
  kDryRun,      // the plan only; nothing changed
};

struct SyncOutcome {
  SyncResult result = SyncResult::kUpToDate;
  std::string adapter;  // the adapter's identity()
  std::string branch;
  std::string ref;  // the sync base ref
  SyncPlan plan;
  std::vector<Oid> commits;  // made on the branch, in order (T, then a merge commit)
  Oid head_before, head_after;
  std::optional<Oid> base_before, base_after;  // the sync base ref's value; nullopt: none
  size_t applied = 0;                          // operations applied to the system
};

// The sync base ref of `adapter` on `branch`:
// "refs/gitstate/sync/<kind>-<XXH3-128 of identity, 32 hex>/<branch>". Never fails.
std::string sync_ref(const Adapter& adapter, const std::string& branch);

// Synchronizes `branch` and the system behind `adapter` as described above.
// A stopped merge is a success with result kConflicted. Errors: kConflict
// when a merge is already stopped on the branch (finish or abort it first);
// kInvalid / kNotFound for a malformed or unknown branch, or what load()
// reports (nothing changed); kModified when the branch kept moving or the
// base ref moved under the sync; when apply() rejects an operation, its
// status with the context "sync <identity>: operation k of N" (the base ref
// then records the operations applied; run the sync again to finish); kIO /
// kCorrupt when the repository cannot be read or written.
Result<SyncOutcome> sync_adapter(const Repository& repo, Adapter& adapter,
                                 const SyncOptions& options = {});

}  // namespace gitstate
