#include "gitstate/adapter_sync.h"

#include <algorithm>

#include "adapter_sync_internal.h"
#include "event_publish_internal.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/tree_diff.h"
#include "merge_internal.h"
#include "message_internal.h"
#include "perspective_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

constexpr int kSyncAttempts = 8;

bool related(const Path& a, const Path& b) {
  size_t n = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
}

// The changes turning `from` into `to`, leaving out those at, above or below
// a conflict's path.
Result<json> patch_between(ObjectStore& store, const Oid& from, const Oid& to,
                           const std::vector<Conflict>& conflicts) {
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes, diff_trees(store, from, to));
  std::erase_if(changes, [&](const Change& change) {
    return std::any_of(conflicts.begin(), conflicts.end(),
                       [&](const Conflict& c) { return related(c.path, change.path); });
  });
  return to_json_patch(changes);
}

// One sync, from reading the branch head on.
class SyncRun {
 public:
  SyncRun(const Repository& repo, Adapter& adapter, const SyncOptions& options)
      : repo_(repo), state_(state_of(repo)), adapter_(adapter), options_(options) {}

  // Whether operations were sent to the system (a retry must not start over then).
  bool sent() const { return sent_; }

  Result<SyncOutcome> run() {
    GITSTATE_ASSIGN_OR_RETURN(outcome_.branch, branch_or_current(state_, options_.branch));
    const std::string& branch = outcome_.branch;
    Status stopped = refuse_if_stopped(state_, branch);
    if (!stopped.is_ok()) return stopped.with_context("sync refused");
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state_, branch));
    if (!head) return not_found("branch '" + branch + "' has no commit to sync");
    head_ = *head;
    outcome_.adapter = adapter_.identity();
    outcome_.ref = sync_ref(adapter_, branch);
    outcome_.head_before = outcome_.head_after = head_;
    GITSTATE_ASSIGN_OR_RETURN(ref_now_, read_ref(*state_.git_dir, outcome_.ref));
    outcome_.base_before = outcome_.base_after = ref_now_;
    GITSTATE_ASSIGN_OR_RETURN(base_,
                              effective_sync_base(state_, ref_now_, head_, sync_key(adapter_)));
    auto loaded = adapter_.load();
    if (!loaded.is_ok()) return loaded.status().with_context("sync " + outcome_.adapter);
    outside_ = std::move(*loaded);
    auto outside_tree = write_state(*state_.store, outside_);
    if (!outside_tree.is_ok())
      return outside_tree.status().with_context("sync " + outcome_.adapter + ": the state loaded");
    outside_tree_ = *outside_tree;
    GITSTATE_ASSIGN_OR_RETURN(head_tree_, tree_of(*state_.store, head_));
    GITSTATE_RETURN_IF_ERROR(make_plan());
    if (options_.dry_run) {
      outcome_.result = SyncResult::kDryRun;
      return outcome_;
    }
    if (!merged_.clean) return stop();
    bool came_in = merged_.tree != head_tree_;
    if (came_in) GITSTATE_RETURN_IF_ERROR(take_in());
    bool goes_out = !outcome_.plan.outgoing.empty();
    if (goes_out) GITSTATE_RETURN_IF_ERROR(send_out());
    GITSTATE_RETURN_IF_ERROR(move_base(outcome_.head_after, "sync: done"));
    outcome_.result = came_in || goes_out ? SyncResult::kSynced : SyncResult::kUpToDate;
    return outcome_;
  }

 private:
  Status make_plan() {
    GITSTATE_ASSIGN_OR_RETURN(MergeOptions merge_options,
                              configured_merge_options(*state_.git_dir));
    merge_options.strategy = options_.strategy;
    GITSTATE_ASSIGN_OR_RETURN(
        merged_, merge_trees(*state_.store, base_.tree, head_tree_, outside_tree_, merge_options));
    SyncPlan& plan = outcome_.plan;
    plan.conflicts = merged_.conflicts;
    plan.resolved = merged_.resolved;
    GITSTATE_ASSIGN_OR_RETURN(
        plan.incoming, patch_between(*state_.store, head_tree_, merged_.tree, merged_.conflicts));
    GITSTATE_ASSIGN_OR_RETURN(plan.outgoing, patch_between(*state_.store, outside_tree_,
                                                           merged_.tree, merged_.conflicts));
    return Status::ok();
  }

  // The commit T holding the system's state, on the base (made once).
  Result<Oid> outside_commit() {
    if (outside_commit_) return *outside_commit_;
    Signature who = adapter_signature(adapter_);
    std::vector<Oid> parents;
    if (base_.commit) parents.push_back(*base_.commit);
    CommitData commit{
        outside_tree_,
        parents,
        who,
        who,
        "Sync from " + outcome_.adapter + "\n\n" + kSyncTrailer + ": " + sync_key(adapter_) + "\n",
        std::nullopt};
    outside_commit_ = state_.store->write(ObjectType::kCommit, encode_commit(commit));
    GITSTATE_RETURN_IF_ERROR(state_.store->flush(false));
    return *outside_commit_;
  }

  // Moves the sync base ref to `to` (compare-and-swap from its value now).
  Status move_base(const Oid& to, const std::string& why) {
    if (ref_now_ == to) return Status::ok();
    Status moved = update_ref(*state_.git_dir, outcome_.ref, to, ref_now_, why);
    if (moved.code() == Code::kModified)
      return Status(Code::kModified, "the sync base " + outcome_.ref +
                                         " moved during the sync (another sync of " +
                                         outcome_.adapter + "?); run the sync again");
    GITSTATE_RETURN_IF_ERROR(moved);
    ref_now_ = outcome_.base_after = to;
    return Status::ok();
  }

  MergePlan merge_plan(const Oid& source) const {
    MergePlan plan;
    plan.operation = "merge";
    plan.branch = outcome_.branch;
    plan.head = head_;
    plan.source = source;
    plan.base = base_.tree;
    plan.theirs = outside_tree_;
    plan.merge_commit = true;
    if (base_.commit) plan.bases = {*base_.commit};
    return plan;
  }

  Result<MergePlan> merge_plan_with_message(const Oid& source) const {
    MergePlan plan = merge_plan(source);
    GITSTATE_ASSIGN_OR_RETURN(
        plan.message,
        format_message("Sync from " + outcome_.adapter + " into " + outcome_.branch, {}));
    return plan;
  }

  // Conflicts left: T becomes the base (a continued merge takes it into the
  // branch's history; an aborted one leaves it out, and the next sync merges
  // against T's own base again), then the merge stops as `merge` stops.
  Result<SyncOutcome> stop() {
    GITSTATE_ASSIGN_OR_RETURN(Oid t, outside_commit());
    GITSTATE_RETURN_IF_ERROR(move_base(t, "sync: conflicts"));
    GITSTATE_ASSIGN_OR_RETURN(MergePlan plan, merge_plan_with_message(t));
    BranchMergeOptions options;
    options.strategy = MergeStrategy::kReport;
    options.author = options_.author;
    GITSTATE_ASSIGN_OR_RETURN(BranchMergeOutcome merged, run_plan(repo_, plan, options));
    if (merged.kind != MergeKind::kConflicted)
      return Status(Code::kModified, "the sync's merge on branch '" + outcome_.branch +
                                         "' did not stop as planned; run the sync again");
    outcome_.plan.conflicts = merged.conflicts;
    outcome_.result = SyncResult::kConflicted;
    return outcome_;
  }

  // The branch takes the merged state: T first becomes the base, then the
  // branch fast-forwards to T (when its head is the base) or gets a merge
  // commit of its head and T.
  Status take_in() {
    GITSTATE_ASSIGN_OR_RETURN(Oid t, outside_commit());
    GITSTATE_RETURN_IF_ERROR(move_base(t, "sync: bringing changes in"));
    GITSTATE_ASSIGN_OR_RETURN(MergePlan plan, merge_plan_with_message(t));
    Signature who = options_.author.value_or(repo_.default_identity());
    if (base_.commit == head_) {
      Chain chain = start_chain(head_, head_tree_);
      chain.head = t;
      chain.tree = outside_tree_;
      GITSTATE_ASSIGN_OR_RETURN(outcome_.head_after, publish_plan(state_, plan, std::move(chain)));
      outcome_.commits = {t};
      return Status::ok();
    }
    GITSTATE_ASSIGN_OR_RETURN(outcome_.head_after, commit_plan(repo_, plan, merged_.tree, who));
    outcome_.commits = {t, outcome_.head_after};
    return Status::ok();
  }

  // Sends the outgoing changes; on a rejection, records what the system
  // holds as the base and fails with the adapter's error.
  Status send_out() {
    const json& ops = outcome_.plan.outgoing;
    sent_ = true;
    ApplyReport report = adapter_.apply(ops);
    outcome_.applied = report.applied;
    if (report.status.is_ok() && report.applied == ops.size()) return Status::ok();
    Status rejected =
        report.status.is_ok() ? io_error("the adapter stopped without saying why") : report.status;
    size_t applied = std::min(report.applied, ops.size());
    GITSTATE_RETURN_IF_ERROR(record_partial(applied, ops.size()));
    std::string what = applied < ops.size() ? " (" + ops[applied].value("op", "") + " " +
                                                  ops[applied].value("path", "") + ")"
                                            : "";
    std::string where = "sync " + outcome_.adapter + ": operation " + std::to_string(applied) +
                        " of " + std::to_string(ops.size()) + what + " rejected, " +
                        std::to_string(applied) +
                        " applied and recorded in the sync base; run the sync again to finish";
    return rejected.with_context(where);
  }

  // Moves the base to a commit whose tree is exactly the system's state
  // after the first `applied` of `total` outgoing operations.
  Status record_partial(size_t applied, size_t total) {
    std::optional<Oid> before;
    if (outside_tree_ == base_.tree && !outside_commit_) {
      before = base_.commit;
    } else {
      GITSTATE_ASSIGN_OR_RETURN(before, outside_commit());
    }
    if (applied == 0) return before ? move_base(*before, "sync: nothing applied") : Status::ok();
    json done(outcome_.plan.outgoing.begin(),
              outcome_.plan.outgoing.begin() + static_cast<std::ptrdiff_t>(applied));
    json now;
    try {
      now = outside_.patch(done);
    } catch (const json::exception& e) {
      return corrupt(std::string("sync: replaying the applied operations: ") + e.what());
    }
    GITSTATE_ASSIGN_OR_RETURN(Oid tree, write_state(*state_.store, now));
    Signature who = adapter_signature(adapter_);
    std::vector<Oid> parents;
    if (before) parents.push_back(*before);
    std::string count = std::to_string(applied) + "/" + std::to_string(total);
    CommitData commit{tree,
                      parents,
                      who,
                      who,
                      "Sync to " + outcome_.adapter + ": " + count + " operations applied\n\n" +
                          kSyncAppliedTrailer + ": " + count + "\n",
                      std::nullopt};
    Oid id = state_.store->write(ObjectType::kCommit, encode_commit(commit));
    GITSTATE_RETURN_IF_ERROR(state_.store->flush(false));
    return move_base(id, "sync: " + count + " operations applied");
  }

  const Repository& repo_;
  RepositoryState& state_;
  Adapter& adapter_;
  const SyncOptions& options_;
  SyncOutcome outcome_;
  Oid head_, head_tree_, outside_tree_;
  json outside_;
  std::optional<Oid> ref_now_;
  std::optional<Oid> outside_commit_;
  SyncBase base_;
  MergeResult merged_;
  bool sent_ = false;
};

// Publishes kSyncFinished for a sync that ran to its end (stopped at
// conflicts included), after the events of the moves it made.
void announce(const Repository& repo, const SyncOutcome& outcome) {
  publish_sync_finished(state_of(repo), outcome.branch, "sync", outcome.adapter,
                        outcome.head_before, outcome.head_after, outcome.plan.conflicts);
}
}  // namespace

Result<SyncOutcome> sync_adapter(const Repository& repo, Adapter& adapter,
                                 const SyncOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "sync"));
  for (int attempt = 1;; ++attempt) {
    SyncRun run(repo, adapter, options);
    Result<SyncOutcome> outcome = run.run();
    if (outcome.is_ok() && outcome->result != SyncResult::kDryRun) announce(repo, *outcome);
    if (outcome.is_ok() || outcome.status().code() != Code::kModified || run.sent() ||
        attempt == kSyncAttempts)
      return outcome;
  }
}

}  // namespace gitstate
