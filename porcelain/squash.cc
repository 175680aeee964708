#include "gitstate/squash.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "event_publish_internal.h"
#include "gitstate/branches.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/verify.h"
#include "merge_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "signature_policy_internal.h"
#include "squash_internal.h"

namespace gitstate {

namespace {
// What a squash found on the branch: the commits after C (head first), and C.
struct Cut {
  std::vector<std::pair<Oid, CommitData>> newer;
  std::optional<std::pair<Oid, CommitData>> at;  // C; nullopt: nothing is older than T
};

Result<Cut> find_cut(ObjectStore& store, const Oid& head, int64_t before) {
  Cut cut;
  Oid id = head;
  while (true) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
    if (commit.committer.time < before) {
      cut.at.emplace(id, std::move(commit));
      return cut;
    }
    std::optional<Oid> parent =
        commit.parents.empty() ? std::nullopt : std::optional<Oid>(commit.parents.front());
    cut.newer.emplace_back(id, std::move(commit));
    if (!parent) return cut;
    id = *parent;
  }
}

// Commits reachable from the starts given so far, and figures over them.
struct Reach {
  std::unordered_set<Oid, OidHash> seen;
  size_t count = 0;
  int64_t oldest = std::numeric_limits<int64_t>::max();
  int64_t newest = std::numeric_limits<int64_t>::min();
};

Status reach_from(ObjectStore& store, const Oid& start, Reach& reach) {
  std::vector<Oid> stack{start};
  while (!stack.empty()) {
    Oid id = stack.back();
    stack.pop_back();
    if (!reach.seen.insert(id).second) continue;
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
    ++reach.count;
    reach.oldest = std::min(reach.oldest, commit.committer.time);
    reach.newest = std::max(reach.newest, commit.committer.time);
    stack.insert(stack.end(), commit.parents.begin(), commit.parents.end());
  }
  return Status::ok();
}

std::string snapshot_message(const std::string& branch, int64_t before, const SquashResult& r) {
  std::string text = "Squash the history of " + branch + " before " + utc_text(before, false) +
                     " into this snapshot\n\n";
  auto add = [&text](const char* key, const std::string& value) {
    text += std::string(key) + ": " + value + "\n";
  };
  add(kSquashBeforeTrailer, utc_text(before, false));
  add(kSquashCommitsTrailer, std::to_string(r.replaced));
  add(kSquashOldestTrailer, utc_text(r.oldest, false));
  add(kSquashNewestTrailer, utc_text(r.newest, false));
  add(kSquashStateOfTrailer, r.state_of.hex());
  add(kSquashOldHeadTrailer, r.old_head.hex());
  add(kSquashArchiveTrailer, r.archive);
  return text;
}

// `who` at `when` (time and offset of `when`).
Signature at_time_of(const Signature& who, const Signature& when) {
  return Signature{who.name, who.email, when.time, when.offset_minutes};
}

// Writes the snapshot and the re-created commits; sets snapshot and new_head.
Status write_history(ObjectStore& store, const Cut& cut, const Signature& identity,
                     const std::shared_ptr<const SshSigningKey>& key, const std::string& message,
                     SquashResult& result) {
  CommitData snapshot;
  snapshot.tree = cut.at->second.tree;
  snapshot.author = identity;
  snapshot.committer = at_time_of(identity, cut.at->second.committer);
  snapshot.message = message;
  GITSTATE_RETURN_IF_ERROR(sign_if_keyed(snapshot, key));
  result.snapshot = store.write(ObjectType::kCommit, encode_commit(snapshot));
  Oid parent = result.snapshot;
  for (auto it = cut.newer.rbegin(); it != cut.newer.rend(); ++it) {
    CommitData commit = it->second;
    if (commit.parents.size() > 1) ++result.flattened_merges;
    commit.parents = {parent};
    commit.gpgsig.reset();
    if (key) commit.committer = at_time_of(identity, commit.committer);
    GITSTATE_RETURN_IF_ERROR(sign_if_keyed(commit, key));
    parent = store.write(ObjectType::kCommit, encode_commit(commit));
  }
  result.new_head = parent;
  result.recreated = cut.newer.size();
  return Status::ok();
}

struct Landing {
  JournalTicket ticket = 0;
  std::optional<uint64_t> event;
};

// Under the writer lock: checks that the branch is still at old_head with no
// stopped merge and that its policy accepts the new commits, writes the
// objects, creates the archive ref (synced) and moves the branch by
// compare-and-swap; removes the archive ref again when the branch cannot move.
Result<Landing> land(RepositoryState& state, const std::string& branch, const SquashResult& r) {
  GitDir& dir = *state.git_dir;
  GITSTATE_ASSIGN_OR_RETURN(FileLock writer, lock_writers(dir));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> now, branch_head(state, branch));
  if (!now) return not_found("branch '" + branch + "' was deleted during the squash");
  if (*now != r.old_head)
    return Status(Code::kModified, "branch '" + branch + "' moved from " + short_id(r.old_head) +
                                       " to " + short_id(*now) +
                                       " during the squash; nothing changed, try again");
  GITSTATE_RETURN_IF_ERROR(refuse_if_stopped(state, branch));
  GITSTATE_RETURN_IF_ERROR(check_policy(state, branch, r.new_head, r.old_head));
  GITSTATE_RETURN_IF_ERROR(state.store->flush(false));
  GITSTATE_RETURN_IF_ERROR(
      update_ref(dir, r.archive, r.old_head, std::nullopt, "gitstate: squash: archive " + branch));
  auto moved = update_ref_unsynced(dir, branch_ref(branch), r.new_head, r.old_head,
                                   "gitstate: squash: " + short_id(r.snapshot));
  if (!moved.is_ok()) {
    Status undone = delete_ref(dir, r.archive, r.old_head);
    if (!undone.is_ok())
      return moved.status().with_context("the archive ref " + r.archive + " was kept");
    return moved.status();
  }
  return Landing{*moved, reserve_ref_event(state, branch)};
}
}  // namespace

Result<SquashResult> squash(const Repository& repo, const SquashOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "squashing history"));
  RepositoryState& state = state_of(repo);
  ObjectStore& store = *state.store;
  GITSTATE_ASSIGN_OR_RETURN(std::string branch, branch_or_current(state, options.branch));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, branch));
  if (!head) return not_found("branch '" + branch + "' does not exist");
  GITSTATE_RETURN_IF_ERROR(refuse_if_stopped(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(bool protected_branch, requires_signatures(repo, branch));
  if (protected_branch && !options.force)
    return Status(Code::kPermissionDenied,
                  "branch '" + branch + "' requires signed commits: squashing rewrites its " +
                      "signed history; force it (and sign the new commits) to go ahead");

  SquashResult result;
  result.old_head = result.new_head = *head;
  GITSTATE_ASSIGN_OR_RETURN(Cut cut, find_cut(store, *head, options.before));
  if (!cut.at || cut.at->second.parents.empty()) return result;

  Reach reach;
  GITSTATE_RETURN_IF_ERROR(reach_from(store, cut.at->first, reach));
  result.squashed = true;
  result.state_of = cut.at->first;
  result.replaced = reach.count;
  result.oldest = reach.oldest;
  result.newest = reach.newest;
  for (const auto& entry : cut.newer)
    GITSTATE_RETURN_IF_ERROR(reach_from(store, entry.first, reach));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<RefInfo> tags, list_tags(repo));
  for (const RefInfo& tag : tags)
    if (reach.seen.count(tag.target)) result.archived_tags.push_back(tag.name);

  Signature identity = options.identity.value_or(repo.default_identity());
  identity.time = now_seconds();
  identity.offset_minutes = 0;
  result.archive = archive_ref(branch, identity.time, *head);
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<const SshSigningKey> key, repo.signing_key());
  GITSTATE_RETURN_IF_ERROR(write_history(store, cut, identity, key,
                                         snapshot_message(branch, options.before, result), result));
  GITSTATE_ASSIGN_OR_RETURN(Landing landing, land(state, branch, result));
  Status durable = make_durable(*state.git_dir, landing.ticket);
  if (landing.event)
    publish_ref_event(state, *landing.event, EventKind::kBranchMoved, branch, result.old_head,
                      result.new_head, false);
  GITSTATE_RETURN_IF_ERROR(durable);
  return result;
}

}  // namespace gitstate
