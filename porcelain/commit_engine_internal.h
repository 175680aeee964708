// The commit engine: turns recorded operations into commits and moves a
// branch to them without losing anyone's update.
//
// A chain is a run of commits on top of a base commit, one per recipe (a
// transaction's operations plus its message and signatures). publish()
// takes the repository's writer lock (so gitstate writers in every process
// queue instead of racing). When the branch moved, the paths changed between
// the chain's base and the new head (oid-pruned diff) are checked against
// every path the chain wrote or read; with no collision the recipes are
// re-applied on the new head, otherwise kConflict names the colliding path.
// Then the chain's objects are flushed (journaled, not yet synced) and the
// branch moves by compare-and-swap from the chain's base to its head. Only writers outside gitstate
// can still move the branch between the read and the swap; those races are retried with jittered
// backoff, at most kMaxPublishAttempts times. A ref lock left by a crashed
// writer (older than kStaleRefLockAge while the writer lock is held) is
// removed once. The commit is made durable (one journal sync, shared with
// concurrent writers) after the writer lock is released.
//
// Thread-safety: functions may run in parallel threads on one store.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "gitstate/transaction.h"
#include "operation_internal.h"
#include "repository_internal.h"

namespace gitstate {

constexpr int kMaxPublishAttempts = 200;
constexpr std::chrono::seconds kStaleRefLockAge{2};

struct CommitRecipe {
  std::vector<Operation> ops;
  std::string message;  // complete text, trailers included
  Signature author, committer;
  bool skip_empty = false;
  std::vector<Oid> merged;  // further parents after the chain's head (a merge commit)
  std::shared_ptr<const SshSigningKey> signer;  // signs the commit when set
};

// A merge that a chain finishes: its landing also publishes kMergeFinished.
struct MergeNote {
  std::string operation;  // "merge"
  Oid source;
};

struct Chain {
  std::optional<Oid> base;  // the commit the chain starts on (nullopt: unborn branch)
  Oid base_tree;
  std::optional<Oid> head;              // the last commit (== base when every recipe was skipped)
  Oid tree;                             // head's tree
  std::vector<CommitOutcome> outcomes;  // one per recipe, in order
  std::vector<Path> touched;            // every path written or read
  std::optional<MergeNote> merge;       // set when the chain finishes a merge
};

// An empty chain on `base` whose root tree is `base_tree`.
Chain start_chain(const std::optional<Oid>& base, const Oid& base_tree);

// Appends the commit of `recipe`, whose operations turned chain.tree into
// `tree` (touching `touched`), signed with recipe.signer when set. A skipped
// empty delta appends an outcome with created == false. Objects are pending
// until a flush; kIO only when signing fails (the chain is then unchanged).
Status append_commit(ObjectStore& store, Chain& chain, const CommitRecipe& recipe, const Oid& tree,
                     const std::vector<Path>& touched);

// Applies every recipe, in order, on `base`. The first failing operation
// fails the whole chain; its error names the operation (and the recipe, when
// there are several, as "commit N: ").
Result<Chain> build_chain(ObjectStore& store, const std::optional<Oid>& base,
                          const std::vector<CommitRecipe>& recipes);

// Called under the writer lock when `branch` is at `now` instead of
// chain.base: re-builds `chain` on `now`, or refuses with an error (the
// publish then fails with it and the branch stays at `now`).
using RebuildChain = std::function<Status(const Oid& now, Chain& chain)>;

// Flushes `chain`, moves `branch` from chain.base to chain.head under the
// writer lock (after checking the branch's signature policy,
// signature_policy_internal.h: kPermissionDenied, nothing moves) (re-building with `rebuild` while
// the branch moved; stale ref locks and foreign writers handled as described above) and makes the
// move durable. Once the branch moved, the chain's events (events.h) are published, with no lock
// held, also when making it durable failed. Returns the chain that landed. kNotFound when the
// branch was deleted, rebuild's error, kConflict, kIO; on error the branch is unchanged.
Result<Chain> publish_chain(RepositoryState& state, const std::string& branch, Chain chain,
                            const RebuildChain& rebuild);

// Makes `chain` durable and moves `branch` to its head, as described above.
// Returns the chain that landed (re-built when the branch had moved; each
// outcome's `rebases` says how many times). kConflict, kNotFound (the branch
// was deleted), kIO; on error the branch is unchanged.
Result<Chain> publish(RepositoryState& state, const std::string& branch, Chain chain,
                      const std::vector<CommitRecipe>& recipes);

}  // namespace gitstate
