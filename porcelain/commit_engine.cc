#include "commit_engine_internal.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "event_publish_internal.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/tree_diff.h"
#include "signature_policy_internal.h"
#include "working_state_internal.h"

namespace gitstate {

namespace {
// The first touched path that `changed` collides with (equal, prefix, or under).
const Path* collision(const std::set<Path>& touched, const Path& changed) {
  Path prefix;
  if (auto it = touched.find(prefix); it != touched.end()) return &*it;
  for (const std::string& token : changed) {
    prefix.push_back(token);
    if (auto it = touched.find(prefix); it != touched.end()) return &*it;
  }
  auto under = touched.lower_bound(changed);
  if (under != touched.end() && paths_overlap(*under, changed)) return &*under;
  return nullptr;
}

Status check_collisions(ObjectStore& store, const Chain& chain, const Oid& new_head_tree,
                        const std::string& branch, const Oid& new_head) {
  std::set<Path> touched(chain.touched.begin(), chain.touched.end());
  DiffOptions options;
  options.with_values = false;
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                            diff_trees(store, chain.base_tree, new_head_tree, options));
  for (const Change& change : changes) {
    if (const Path* hit = collision(touched, change.path)) {
      std::string changed = format_pointer(change.path);
      std::string mine = format_pointer(*hit);
      return Status(Code::kConflict, "branch '" + branch + "' moved to " + short_id(new_head) +
                                         ", which changed " + (changed.empty() ? "/" : changed) +
                                         " (this transaction wrote or read " +
                                         (mine.empty() ? "/" : mine) + ")");
    }
  }
  return Status::ok();
}

void backoff(int attempt) {
  thread_local std::mt19937 rng(std::random_device{}());
  int64_t cap_us = std::min<int64_t>(20000, int64_t{50} << std::min(attempt, 10));
  std::uniform_int_distribution<int64_t> pick(cap_us / 4, cap_us);
  std::this_thread::sleep_for(std::chrono::microseconds(pick(rng)));
}
}  // namespace

Chain start_chain(const std::optional<Oid>& base, const Oid& base_tree) {
  Chain chain;
  chain.base = base;
  chain.base_tree = base_tree;
  chain.head = base;
  chain.tree = base_tree;
  return chain;
}

Status append_commit(ObjectStore& store, Chain& chain, const CommitRecipe& recipe, const Oid& tree,
                     const std::vector<Path>& touched) {
  CommitOutcome outcome;
  outcome.tree = tree;
  if (recipe.skip_empty && chain.head && tree == chain.tree) {
    chain.touched.insert(chain.touched.end(), touched.begin(), touched.end());
    outcome.commit = *chain.head;
    outcome.created = false;
    chain.outcomes.push_back(outcome);
    return Status::ok();
  }
  CommitData data;
  data.tree = tree;
  if (chain.head) data.parents.push_back(*chain.head);
  data.parents.insert(data.parents.end(), recipe.merged.begin(), recipe.merged.end());
  data.author = recipe.author;
  data.committer = recipe.committer;
  data.message = recipe.message;
  GITSTATE_RETURN_IF_ERROR(sign_if_keyed(data, recipe.signer));
  chain.touched.insert(chain.touched.end(), touched.begin(), touched.end());
  outcome.commit = store.write(ObjectType::kCommit, encode_commit(data));
  chain.head = outcome.commit;
  chain.tree = tree;
  chain.outcomes.push_back(outcome);
  return Status::ok();
}

Result<Chain> build_chain(ObjectStore& store, const std::optional<Oid>& base,
                          const std::vector<CommitRecipe>& recipes) {
  GITSTATE_ASSIGN_OR_RETURN(Oid base_tree, tree_of(store, base));
  Chain chain = start_chain(base, base_tree);
  for (size_t r = 0; r < recipes.size(); ++r) {
    WorkingState working(store, chain.tree);
    const std::vector<Operation>& ops = recipes[r].ops;
    for (size_t i = 0; i < ops.size(); ++i) {
      Status status = working.apply(ops[i]);
      if (status.is_ok()) continue;
      status = status.with_context(operation_context(i, ops[i]));
      if (recipes.size() > 1) status = status.with_context("commit " + std::to_string(r));
      return status;
    }
    GITSTATE_RETURN_IF_ERROR(
        append_commit(store, chain, recipes[r], working.root(), working.touched()));
  }
  return chain;
}

namespace {
// Under the writer lock: re-builds `chain` with `rebuild` while the branch
// moved, then moves the branch to chain.head without waiting for durability
// and reserves the numbers of its events in `events` (so they are ordered as
// the ref moved). Returns the journal ticket to sync (0 when the re-built
// chain changed nothing).
Result<JournalTicket> move_branch(RepositoryState& state, const std::string& branch, Chain& chain,
                                  const RebuildChain& rebuild, std::optional<uint64_t>& events) {
  GITSTATE_ASSIGN_OR_RETURN(FileLock writer, lock_writers(*state.git_dir));
  bool removed_stale_locks = false;
  for (int attempt = 0; attempt < kMaxPublishAttempts; ++attempt) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> now, branch_head(state, branch));
    if (now != chain.base) {
      if (!now) return not_found("branch '" + branch + "' was deleted while committing to it");
      GITSTATE_RETURN_IF_ERROR(rebuild(*now, chain));
      if (chain.head == chain.base) return JournalTicket{0};
    }
    GITSTATE_RETURN_IF_ERROR(check_policy(state, branch, *chain.head, chain.base));
    // One pack for the chain that lands (and any chain it replaced).
    GITSTATE_RETURN_IF_ERROR(state.store->flush(false));
    auto moved = update_ref_unsynced(*state.git_dir, branch_ref(branch), *chain.head, chain.base,
                                     "gitstate: commit");
    if (moved.is_ok()) {
      events = reserve_chain_events(state, branch, chain);
      return *moved;
    }
    Code code = moved.status().code();
    if (code == Code::kConflict && !removed_stale_locks) {
      // Under the writer lock only a foreign writer or a crashed one holds a
      // ref lock, and a foreign one holds it for milliseconds.
      removed_stale_locks = true;
      GITSTATE_ASSIGN_OR_RETURN(size_t removed,
                                remove_stale_ref_locks(*state.git_dir, kStaleRefLockAge));
      if (removed > 0) continue;
    }
    if (code != Code::kModified) return moved.status();
    backoff(attempt);  // a writer outside gitstate moved the branch
  }
  return Status(Code::kConflict, "branch '" + branch + "' kept moving: gave up after " +
                                     std::to_string(kMaxPublishAttempts) + " attempts");
}
}  // namespace

Result<Chain> publish_chain(RepositoryState& state, const std::string& branch, Chain chain,
                            const RebuildChain& rebuild) {
  if (chain.head == chain.base) return chain;
  std::optional<uint64_t> events;
  GITSTATE_ASSIGN_OR_RETURN(JournalTicket ticket,
                            move_branch(state, branch, chain, rebuild, events));
  // Synced after the writer lock is released, so queued writers share syncs.
  Status durable = make_durable(*state.git_dir, ticket);
  if (events) publish_chain_events(state, branch, chain, *events);
  GITSTATE_RETURN_IF_ERROR(durable);
  return chain;
}

Result<Chain> publish(RepositoryState& state, const std::string& branch, Chain chain,
                      const std::vector<CommitRecipe>& recipes) {
  int rebases = 0;
  auto reapply = [&](const Oid& now, Chain& current) -> Status {
    GITSTATE_ASSIGN_OR_RETURN(Oid now_tree, tree_of(*state.store, now));
    GITSTATE_RETURN_IF_ERROR(check_collisions(*state.store, current, now_tree, branch, now));
    auto rebuilt = build_chain(*state.store, now, recipes);
    if (!rebuilt.is_ok())
      return rebuilt.status().with_context("re-applying on " + branch + " at " + short_id(now));
    current = std::move(rebuilt).value();
    ++rebases;
    for (CommitOutcome& outcome : current.outcomes) outcome.rebases = rebases;
    return Status::ok();
  };
  return publish_chain(state, branch, std::move(chain), reapply);
}

}  // namespace gitstate
