// Squash: retention for long histories. Rewrites a branch so that its
// history older than a time is one snapshot commit, keeping the old history
// under an archive ref until that ref is deleted explicitly (docs/audit.md,
// "Retention").
//
// squash() REWRITES HISTORY. For branch B and time T it walks B's
// first-parent history from the head and takes the first commit C committed
// before T (committer time < T). C and everything reachable from it are
// replaced by one snapshot commit without parents whose tree is C's tree;
// every commit after C on the first-parent line is re-created on top of it,
// oldest first, with its own tree, message (trailers and State-Tag tags
// included, byte for byte), author and committer. So the branch's state is
// unchanged (the new head has the old head's tree id), and every commit id
// from C's child on changes.
//
// - Merge commits after C are re-created along their first parent only: one
//   commit with the merge's tree and message and a single parent. The merged
//   commits are not part of the new history (they stay in the archive and on
//   their own branches); a later merge of such a branch finds no common
//   ancestor with the squashed branch's new history.
// - Tags (refs/tags) and other refs pointing at replaced or re-created
//   commits are left alone: they stay on the archived history (and keep it
//   reachable). SquashResult::archived_tags names those tags.
// - Signing: when the handle has a signing key (Repository::signing_key),
//   the snapshot and every re-created commit are signed with it, and their
//   committer is the squashing identity (a signature vouches for its
//   committer, verify.h), keeping the original committer time. Unsigned,
//   re-created commits keep their original committer.
// - The snapshot's author is the squashing identity at the time of the
//   squash; its committer is that identity at C's committer time, so that
//   the snapshot stays older than T: `log --since/--until` and later
//   squashes see the history's own times. Its message says what it replaced
//   in a trailer block (the kSquash* trailers below).
// - Before the branch moves, its old head is kept under the archive ref
//   refs/gitstate/archive/<branch>/<UTC time of the squash, YYYYMMDDTHHMMSSZ>-
//   <12 hex digits of the old head>, which nothing in gitstate deletes
//   except delete_archive(). Stock git sees it as any ref (`git rev-list
//   --all`, `git fsck` reach the old history through it).
// - The branch moves by compare-and-swap from the head the squash read,
//   under the repository's writer lock, after the branch's signature policy
//   accepted the new commits (verify.h), and the move is durable. It is
//   announced on the event bus as one kBranchMoved from the old head to the
//   new one with `fast_forward` false (events.h); the re-created commits get
//   no kCommit events (the state did not change).
//
// Thread-safety: functions may be called from several threads and
// processes at once; a concurrent commit on the branch makes squash() fail
// with kModified, changing nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

constexpr char kArchiveRefPrefix[] = "refs/gitstate/archive/";

// The trailers of a snapshot commit's message, in this order. Times are
// ISO-8601 UTC ("2024-05-01T00:00:00Z").
constexpr char kSquashBeforeTrailer[] = "State-Squash-Before";     // T
constexpr char kSquashCommitsTrailer[] = "State-Squash-Commits";   // commits replaced
constexpr char kSquashOldestTrailer[] = "State-Squash-Oldest";     // their oldest committer time
constexpr char kSquashNewestTrailer[] = "State-Squash-Newest";     // their newest committer time
constexpr char kSquashStateOfTrailer[] = "State-Squash-State-Of";  // C's id
constexpr char kSquashOldHeadTrailer[] = "State-Squash-Old-Head";  // the branch's old head
constexpr char kSquashArchiveTrailer[] = "State-Squash-Archive";   // the archive ref

struct SquashOptions {
  std::string branch;  // empty: the current branch
  int64_t before = 0;  // T, seconds since the Unix epoch
  // Squash a branch that requires signed commits (verify.h). The new
  // commits must still satisfy its policy: sign them with a key allowed for
  // the squashing identity.
  bool force = false;
  // The squashing identity (name and email; the time is taken as described
  // above). Default: Repository::default_identity().
  std::optional<Signature> identity;
};

struct SquashResult {
  // False when nothing is older than T, or only a root commit is: nothing
  // changed, no archive was made, and only old_head, new_head (equal) and
  // `replaced` (0) are set.
  bool squashed = false;
  Oid old_head, new_head;
  Oid snapshot;                    // the new root commit
  Oid state_of;                    // C: the commit whose state the snapshot holds
  std::string archive;             // the archive ref holding old_head
  size_t replaced = 0;             // commits reachable from C
  size_t recreated = 0;            // commits re-created on the snapshot
  size_t flattened_merges = 0;     // of which merge commits, re-created along their first parent
  int64_t oldest = 0, newest = 0;  // committer times of the replaced commits
  std::vector<std::string> archived_tags;  // tags on the old history, by name
};

// Squashes as described above. Errors, each changing nothing: kInvalid for a
// malformed branch name; kNotFound when the branch does not exist;
// kConflict when a merge, revert or cherry-pick is stopped on the branch
// (merge.h); kPermissionDenied when the branch requires signed commits and
// `force` is not set, when the new commits do not satisfy its policy, or for
// a handle bound to a perspective; kModified when the branch moved during
// the call (try again); kInvalid / kNotFound / kIO naming
// `gitstate.signingKey` when the configured key cannot be loaded; kCorrupt /
// kIO when history cannot be read or written.
Result<SquashResult> squash(const Repository& repo, const SquashOptions& options);

struct ArchiveInfo {
  std::string ref;     // "refs/gitstate/archive/main/20240501T120000Z-4d2f2cf63f67"
  std::string branch;  // "main"
  std::string stamp;   // "20240501T120000Z-4d2f2cf63f67"
  Oid head;            // the archived head
};

// The archive refs of `branch` (empty: of every branch), in ref-name order
// (for one branch: oldest first). kInvalid for a malformed branch name; kIO
// when refs cannot be read.
Result<std::vector<ArchiveInfo>> list_archives(const Repository& repo,
                                               std::string_view branch = {});

// Deletes the archive ref `ref` (full, or without kArchiveRefPrefix), by
// compare-and-swap on the value read. The archived commits stay in the
// repository until they are unreachable and collected (gc). kInvalid when
// `ref` is not an archive ref name; kNotFound when it does not exist;
// kModified when it changed during the call; kPermissionDenied for a handle
// bound to a perspective.
Status delete_archive(const Repository& repo, std::string_view ref);

}  // namespace gitstate
