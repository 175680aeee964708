// Remotes and sync: clone, fetch, pull and push between state repositories
// through git's transports (a local path, file://, git://, http(s), ssh).
//
// Remotes are git remotes in the repository's configuration. fetch() brings
// a remote's branches in as remote-tracking refs (refs/remotes/<remote>/*),
// its tags (refs/tags/*, never overwriting a local tag) and its perspective
// definitions (into refs/gitstate/remotes/<remote>/perspectives); every
// object received is checked with gitstate's strict readers before any ref
// moves, so a broken or hostile remote changes nothing (kCorrupt). pull()
// is fetch() plus merge() (merge.h) of the remote-tracking commit into a
// branch: a fast-forward when possible, a merge commit otherwise, and on
// conflicts the stopped-merge workflow exactly as for local merges; it
// brings the perspective definitions in too. push() sends one branch (and,
// when asked, the tags in its history and the perspective definitions) and
// refuses to lose commits on the remote (kNonFastForward), whether the
// refusal comes from this side or the server's. docs/sync.md is the policy:
// what travels, the progress format, credentials, what is checked.
//
// The outcomes say what moved (old and new ids) so that callers, and the
// event bus, can publish what a sync changed.
//
// Thread-safety: as the calls each one composes (refs and merges are
// compare-and-swap); progress callbacks run on the calling thread. Handles
// bound to a perspective are refused (kPermissionDenied): sync moves whole
// histories.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/merge.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/remote.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

// The configured remotes in name order, URLs without user information.
// kIO when the configuration cannot be read.
Result<std::vector<RemoteConfig>> list_remotes(const Repository& repo);

// Adds remote `name` at `url` (a path, file://, git://, http(s)://, ssh://
// or user@host:path). kInvalid for a malformed name or an empty URL;
// kModified when the remote exists.
Status add_remote(const Repository& repo, const std::string& name, const std::string& url);

// Removes remote `name` and its remote-tracking refs. kNotFound when there
// is no such remote.
Status remove_remote(const Repository& repo, const std::string& name);

struct RemoteOptions {
  ProgressCallback progress;  // transfer progress (remote.h in plumbing); may be empty
};

struct FetchOutcome {
  std::string remote;
  std::vector<RefMove> moved;          // local refs the fetch moved (old/new ids)
  std::vector<std::string> kept_tags;  // tags the remote has with another value: kept as they are
  std::optional<std::string> remote_head;  // the remote's default branch, when advertised
  uint64_t objects_received = 0;
  uint64_t bytes_received = 0;
};

// Fetches from remote `name` (see above and fetch_remote in
// plumbing/remote.h). kNotFound: no such remote or nothing at its URL;
// kCorrupt: the remote sent objects gitstate rejects (the message names
// one; nothing changed); kPermissionDenied: authentication failed, or a
// bound handle; kIO: the transport failed.
Result<FetchOutcome> fetch(const Repository& repo, const std::string& name,
                           const RemoteOptions& options = {});

enum class PerspectivesSync {
  kNone,         // the remote has no perspective definitions
  kUpToDate,     // the local definitions already contain the remote's
  kAdopted,      // there were none here: the remote's were taken
  kFastForward,  // the local ref moved forward to the remote's
  kDiverged,     // both sides changed them: the local ones are kept (see docs/sync.md)
};

struct PerspectivesOutcome {
  PerspectivesSync result = PerspectivesSync::kNone;
  std::optional<Oid> old_value, new_value;  // refs/gitstate/perspectives before and after
};

struct CloneOptions {
  std::string remote_name = "origin";
  RemoteOptions transfer;
};

struct CloneOutcome {
  Repository repo;
  FetchOutcome fetched;
  std::string branch;       // the local branch made from the remote's default branch
  std::optional<Oid> head;  // its commit (nullopt: the remote has no branches)
  PerspectivesOutcome perspectives;
};

// Creates a state repository at `path` (created if missing; must be empty)
// holding everything fetch() brings from `url` (as remote
// options.remote_name), the remote's default branch as a local branch that
// HEAD names, and the remote's perspective definitions. On failure the
// directory is removed again. kInvalid when `path` is not empty; otherwise
// errors as add_remote() and fetch().
Result<CloneOutcome> clone(const std::string& url, const std::string& path,
                           const CloneOptions& options = {});

struct PullOptions {
  std::string into;          // the branch merged into; default: the current branch
  bool ff_only = false;      // refuse (kNonFastForward) when a fast-forward is not possible
  BranchMergeOptions merge;  // strategy, resolver, no_ff, message, tags, author
  RemoteOptions transfer;
};

struct PullOutcome {
  FetchOutcome fetched;
  std::string branch;           // the local branch merged into
  std::string tracking_ref;     // refs/remotes/<remote>/<branch>: the commit merged
  std::optional<Oid> old_head;  // the branch before (nullopt: it was unborn)
  BranchMergeOutcome merge;     // as merge() reports it; kConflicted: a stopped merge
  PerspectivesOutcome perspectives;
};

// Fetches from remote `name`, then merges its branch `branch` (default: the
// name of the branch merged into) into options.into with merge(); message
// "Merge <remote>/<branch> into <into>" unless options.merge.message. With
// ff_only, only a fast-forward (or nothing) is done. Then the perspective
// definitions: adopted when absent here, fast-forwarded when the remote's
// descend from ours, kept as they are when diverged. Conflicts are a success
// with merge.kind kConflicted (finish with resolve_conflict/continue_merge).
// kNotFound: no such remote, remote branch or local branch (as input errors);
// kNonFastForward: ff_only and the histories diverged (after fetching:
// the remote-tracking refs moved); errors as fetch() and merge() otherwise.
Result<PullOutcome> pull(const Repository& repo, const std::string& name,
                         std::string_view branch = {}, const PullOptions& options = {});

struct PushOptions {
  bool force = false;  // replace the remote branch (and perspectives) even if not a fast-forward
  bool tags = false;   // also send the tags pointing into the pushed history
  bool perspectives = false;  // also send refs/gitstate/perspectives
  RemoteOptions transfer;
};

struct PushOutcome {
  std::string remote;
  std::vector<PushedRef> pushed;  // the branch first, then tags, then perspectives
  std::vector<RefMove> tracking;  // local remote-tracking refs moved
  uint64_t objects_sent = 0;
  uint64_t bytes_sent = 0;
};

// Pushes branch `branch` (default: the current branch) to the same name on
// remote `name`, with the options' extras. Only the objects that history
// needs travel: other branches' content does not. Tags are created on the
// remote, never moved (a remote tag with another value is reported as
// kept). kPermissionDenied when the branch requires signatures (verify.h)
// and a commit the remote-tracking branch lacks is not properly signed
// (nothing is sent). kNonFastForward: the remote branch (or perspectives ref) has
// commits this one lacks, checked here first and by the server (nothing is
// sent when the check here fails); kNotFound: no such remote or branch;
// errors as push_remote() otherwise.
Result<PushOutcome> push(const Repository& repo, const std::string& name,
                         std::string_view branch = {}, const PushOptions& options = {});

}  // namespace gitstate
