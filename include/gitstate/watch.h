// Watch: follows a branch from outside the processes that commit to it, and
// reports every commit that touches a glob exactly once, in order
// (docs/events.md).
//
// A Watcher works from ref values and the commit graph, not from
// notifications: it remembers the commits it has accounted for (every
// ancestor of the last head it saw) and, when the branch head changes,
// reports the commits reachable from the new head that it has not accounted
// for, parents before children (a commit's first parent's line first). So
// it never misses or repeats a commit however many land between two looks.
// A head that does not descend from the last one seen (the branch was reset
// or rewritten) is reported as one kForced entry and watching goes on from
// the new head, whose other commits are not reported. A deleted branch is
// waited for; when it comes back, its head is taken as any new head.
//
// Wake-ups come from RefWaker (inotify on the ref's directory and the git
// directory), with `poll_interval` as the longest time between two looks at
// the ref whatever happens.
//
// Through a perspective: a Watcher started with a handle bound to one
// (Repository::through) applies it as well and reports what that handle's
// `log` would: commits that change nothing visible are skipped, and the
// commit's tree, its parents and forced-move heads are mapped to views and
// visible commits (docs/events.md, "Bound handles").
//
// Thread-safety: a Watcher belongs to one thread at a time; several
// Watchers may follow one repository at once.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/history.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/perspective_def.h"
#include "gitstate/plumbing/ref_waker.h"
#include "gitstate/plumbing/tree_filter.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct WatchOptions {
  std::string branch;        // empty: the current branch
  std::string glob = "/**";  // report commits whose delta touches this PointerGlob
  std::optional<ResolvedPerspective> perspective;  // and seen through this filter
  // Catch up first with the commits reachable from the head and not from
  // this revision; empty: report only commits made after start().
  std::string since;
  std::chrono::milliseconds poll_interval{1000};  // longest time between two looks
};

struct WatchEntry {
  enum class Kind {
    kCommit,  // commit, patch (restricted to the glob and perspective)
    kForced,  // the branch moved from old_head to new_head, which does not descend from it
  };
  Kind kind = Kind::kCommit;
  std::string branch;
  CommitInfo commit;
  nlohmann::json patch = nlohmann::json::array();
  std::optional<Oid> old_head, new_head;
};

class Watcher {
 public:
  // Starts following `options.branch` of `repo`. kInvalid for a malformed
  // branch, glob or revision; kNotFound when the branch has no commit or
  // `since` names none; kCorrupt / kIO when history cannot be read.
  static Result<Watcher> start(const Repository& repo, const WatchOptions& options);

  // The branch followed.
  const std::string& branch() const { return branch_; }

  // Looks at the branch, and waits up to `timeout` for it to move when it
  // has not; returns the entries for what changed since the last call (the
  // first call: since options.since), possibly none. Commits that do not
  // touch the glob are accounted for but not returned. kCorrupt / kIO when
  // history cannot be read (nothing is accounted for then; call again).
  Result<std::vector<WatchEntry>> next(std::chrono::milliseconds timeout);

 private:
  Watcher(Repository repo, RefWaker waker) : repo_(std::move(repo)), waker_(std::move(waker)) {}

  // Entries for the branch at `head`; updates last_ and seen_.
  Result<std::vector<WatchEntry>> advance(const Oid& head);

  Repository repo_;
  RefWaker waker_;
  std::string branch_;
  std::vector<Filter> filters_;
  std::chrono::milliseconds poll_interval_{1000};
  std::optional<Oid> last_;  // the head accounted for (nullopt: catching up from `since`)
  std::unordered_set<Oid, OidHash> seen_;  // every ancestor of last_ (or of `since`)
};

}  // namespace gitstate
