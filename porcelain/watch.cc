#include "gitstate/watch.h"

#include <algorithm>

#include "event_bus_internal.h"
#include "history_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
using Seen = std::unordered_set<Oid, OidHash>;

// Without inotify, the longest sleep between two looks at the ref.
constexpr std::chrono::milliseconds kFallbackPoll{100};

// Adds `start` and every ancestor of it to `seen`.
Status add_ancestors(ObjectStore& store, const Oid& start, Seen& seen) {
  std::vector<Oid> pending{start};
  while (!pending.empty()) {
    Oid id = pending.back();
    pending.pop_back();
    if (!seen.insert(id).second) continue;
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
    pending.insert(pending.end(), commit.parents.begin(), commit.parents.end());
  }
  return Status::ok();
}

struct Unseen {
  std::vector<std::pair<Oid, CommitData>> commits;  // parents before children
  bool reached_last = false;                        // `last` is an ancestor of the head
};

// The commits reachable from `head` and not in `seen`, in post-order of a
// walk that takes parents in order (so first-parent lines come first).
Result<Unseen> unseen_commits(ObjectStore& store, const Oid& head, const Seen& seen,
                              const std::optional<Oid>& last) {
  struct Frame {
    Oid id;
    CommitData commit;
    size_t next_parent = 0;
  };
  Unseen out;
  std::vector<Frame> stack;
  Seen visited;
  auto enter = [&](const Oid& id) -> Status {
    if (id == last) out.reached_last = true;
    if (seen.count(id) || !visited.insert(id).second) return Status::ok();
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
    stack.push_back(Frame{id, std::move(commit), 0});
    return Status::ok();
  };
  GITSTATE_RETURN_IF_ERROR(enter(head));
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next_parent < top.commit.parents.size()) {
      Oid parent = top.commit.parents[top.next_parent++];
      GITSTATE_RETURN_IF_ERROR(enter(parent));
      continue;
    }
    out.commits.emplace_back(top.id, std::move(top.commit));
    stack.pop_back();
  }
  return out;
}
}  // namespace

Result<Watcher> Watcher::start(const Repository& repo, const WatchOptions& options) {
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(std::string branch, branch_or_current(state, options.branch));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Filter> filters,
                            event_filters(options.glob, options.perspective, repo.perspective()));
  // Listening before the first look: no move after it goes unnoticed.
  Watcher watcher(repo, RefWaker::open(repo.git_dir()->path(), branch_ref(branch)));
  watcher.branch_ = branch;
  watcher.filters_ = std::move(filters);
  watcher.poll_interval_ = options.poll_interval;
  if (!options.since.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(Oid since, repo.resolve(options.since));
    GITSTATE_RETURN_IF_ERROR(add_ancestors(*state.store, since, watcher.seen_));
    return watcher;
  }
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, branch));
  if (!head) return not_found("branch '" + branch + "' has no commit to watch");
  GITSTATE_RETURN_IF_ERROR(add_ancestors(*state.store, *head, watcher.seen_));
  watcher.last_ = head;
  return watcher;
}

Result<std::vector<WatchEntry>> Watcher::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state_of(repo_), branch_));
    if (head && head != last_) return advance(*head);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::vector<WatchEntry>{};
    auto interval = waker_.listening() ? poll_interval_ : std::min(poll_interval_, kFallbackPoll);
    waker_.wait(std::max(std::chrono::milliseconds(1), std::min(left, interval)));
  }
}

Result<std::vector<WatchEntry>> Watcher::advance(const Oid& head) {
  ObjectStore& store = repo_.objects();
  GITSTATE_ASSIGN_OR_RETURN(Unseen unseen, unseen_commits(store, head, seen_, last_));
  std::vector<WatchEntry> entries;
  if (last_ && !unseen.reached_last) {
    Seen seen;
    GITSTATE_RETURN_IF_ERROR(add_ancestors(store, head, seen));
    WatchEntry forced;
    forced.kind = WatchEntry::Kind::kForced;
    forced.branch = branch_;
    GITSTATE_ASSIGN_OR_RETURN(forced.old_head, visible_commit(repo_, *last_));
    GITSTATE_ASSIGN_OR_RETURN(forced.new_head, visible_commit(repo_, head));
    entries.push_back(std::move(forced));
    seen_.swap(seen);
    last_ = head;
    return entries;
  }
  for (const auto& [id, commit] : unseen.commits) {
    std::optional<Oid> parent;
    if (!commit.parents.empty()) parent = commit.parents.front();
    GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, tree_of(store, parent));
    GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                              diff_trees(store, parent_tree, commit.tree));
    for (const Filter& filter : filters_) changes = restrict_changes(changes, filter);
    if (changes.empty()) continue;
    GITSTATE_ASSIGN_OR_RETURN(std::optional<CommitInfo> seen, seen_commit(repo_, id, commit));
    if (!seen) continue;  // through a perspective: it changes nothing visible
    WatchEntry entry;
    entry.branch = branch_;
    entry.commit = std::move(*seen);
    entry.patch = to_json_patch(changes);
    entry.old_head =
        entry.commit.parents.empty() ? std::nullopt : std::optional<Oid>(entry.commit.parents[0]);
    entry.new_head = id;
    entries.push_back(std::move(entry));
  }
  for (const auto& [id, commit] : unseen.commits) seen_.insert(id);
  last_ = head;
  return entries;
}

}  // namespace gitstate
