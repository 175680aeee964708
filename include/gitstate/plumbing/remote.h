// Remotes and transfers: git remotes in the repository's configuration, and
// fetching from and pushing to them through libgit2's transports (a local
// path, file://, git://, http(s), ssh). The porcelain (remote.h) composes
// these with merge; docs/sync.md is the policy.
//
// Receiving is checked: fetch_remote() downloads the pack, then checks every
// object newly reachable from the fetched tips (walking commits until one
// already reachable from a local ref) with gitstate's strict readers: commits
// and trees must parse, entry names must be escapes of keys (or buckets of a
// well-formed fanout), modes only 040000/100644, blobs canonical JSON text of
// at most kMaxBlobBytes. Only then are local refs moved (compare-and-swap,
// journaled); a hostile or broken remote gets kCorrupt naming the object, no
// ref moves and the received pack is removed. Pack consolidation is held off
// (its lock is taken) while a received pack is unchecked.
//
// Credentials (http(s), ssh) come from, in order: the URL's own user and
// password, GITSTATE_USERNAME / GITSTATE_PASSWORD, `git credential fill`
// (http(s)); for ssh, GITSTATE_SSH_KEY (a private key file, with
// GITSTATE_SSH_PASSPHRASE) or the ssh agent. Every message this layer
// returns has user information stripped from the URLs it names.
//
// Thread-safety: every function may be called from any thread. Transfers use
// a libgit2 repository of their own, so other users of the GitDir are not
// held up while bytes move; refs move through refs.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

// `text` with the user information (`user:password@`, `user@`) removed from
// every URL in it (`scheme://user:pw@host/x` -> `scheme://host/x`). Never fails.
std::string redact_userinfo(std::string_view text);

// A remote as the configuration holds it; `url` is redacted.
struct RemoteConfig {
  std::string name;
  std::string url;
};

// The configured remotes, in name order. kIO when the config cannot be read.
Result<std::vector<RemoteConfig>> list_remotes(GitDir& dir);

// The URL of remote `name`, as configured (not redacted: it is the caller's
// own configuration). kNotFound when there is no such remote.
Result<std::string> remote_url(GitDir& dir, const std::string& name);

// Adds remote `name` with `url` and git's default fetch refspec
// (+refs/heads/*:refs/remotes/<name>/*). kInvalid for a malformed name or an
// empty URL; kModified when a remote of that name exists (nothing changes).
Status add_remote(GitDir& dir, const std::string& name, const std::string& url);

// Removes remote `name` from the configuration with its remote-tracking refs
// (refs/remotes/<name>/* and refs/gitstate/remotes/<name>/*). kNotFound when
// there is no such remote.
Status remove_remote(GitDir& dir, const std::string& name);

// Where a received perspectives ref is kept: refs/gitstate/remotes/<name>/perspectives.
std::string remote_perspectives_ref(std::string_view remote);

enum class TransferPhase {
  kReceiving,  // objects arriving (done/total objects, bytes so far)
  kResolving,  // received deltas being resolved (done/total deltas)
  kPacking,    // objects being packed for a push (done/total objects)
  kSending,    // pack bytes being sent (done/total objects, bytes so far)
};

struct TransferProgress {
  TransferPhase phase = TransferPhase::kReceiving;
  uint64_t done = 0;
  uint64_t total = 0;
  uint64_t bytes = 0;
};

// Called on the transferring thread, often (callers throttle what they print).
using ProgressCallback = std::function<void(const TransferProgress&)>;

struct TransferOptions {
  ProgressCallback progress;  // may be empty
};

// One local ref moved by a transfer.
struct RefMove {
  std::string ref;               // full local ref name
  std::optional<Oid> old_value;  // nullopt: created
  Oid new_value;
};

struct FetchResult {
  std::vector<RefMove> moved;              // local refs moved, by name
  std::vector<std::string> kept_tags;      // tags that exist here with another value: left alone
  std::optional<std::string> remote_head;  // the branch the remote's HEAD names, when advertised
  uint64_t objects_received = 0;
  uint64_t bytes_received = 0;
};

// Fetches from remote `name`: every branch into refs/remotes/<name>/<branch>
// (moved whatever their old value, as git's `+` refspec), every tag into
// refs/tags/<tag> (created when absent; an existing tag with another value
// is kept and listed in kept_tags), and refs/gitstate/perspectives into
// remote_perspectives_ref(name). Nothing else is fetched; branches deleted
// on the remote stay here. Objects are checked before any ref moves (above).
// kNotFound: no such remote, or the repository at the URL does not exist;
// kCorrupt: a received object fails the checks (nothing moved, pack
// removed); kPermissionDenied: authentication failed; kModified: a local ref
// moved during the fetch (objects stay, that ref did not move); kIO: the
// transport failed.
// `store` is the repository's object store (it reads the received objects
// for the check).
Result<FetchResult> fetch_remote(GitDir& dir, ObjectStore& store, const std::string& name,
                                 const TransferOptions& options = {});

enum class PushMode {
  kFastForward,  // refused (kNonFastForward) unless the remote value is an ancestor
  kForce,        // any value replaced (the server may still refuse)
  kCreateOnly,   // sent only when absent on the remote; otherwise left and reported
};

struct PushRef {
  std::string local_ref;   // full name of the ref pushed
  std::string remote_ref;  // full name on the remote
  PushMode mode = PushMode::kFastForward;
};

struct PushedRef {
  std::string remote_ref;
  std::optional<Oid> old_value;  // the remote's value before (nullopt: created)
  Oid new_value;
  bool up_to_date = false;  // already had new_value: nothing sent
  bool kept = false;        // kCreateOnly and the remote has another value: not sent
};

struct PushResult {
  std::vector<PushedRef> refs;    // one per PushRef, in order
  std::vector<RefMove> tracking;  // local remote-tracking refs moved afterwards
  uint64_t objects_sent = 0;
  uint64_t bytes_sent = 0;
};

// Pushes `refs` to remote `name`: only the objects their history needs and
// the remote lacks. Every kFastForward ref is checked against the remote's
// advertised value first; one that would lose commits (or whose remote
// value this repository does not have: fetch first) refuses the whole push
// with kNonFastForward and nothing is sent. A ref the server rejects (for
// example receive.denyNonFastForwards) gives kNonFastForward when the reason
// is about fast-forwarding, kPermissionDenied otherwise, naming the ref and
// the server's reason; refs the server took are then updated there. After a
// push, refs/remotes/<name>/<branch> (and remote_perspectives_ref(name)
// for the perspectives ref) follow what the remote now has. kNotFound: no
// such remote or local ref; kInvalid: a malformed ref name; kIO: transport.
Result<PushResult> push_remote(GitDir& dir, const std::string& name,
                               const std::vector<PushRef>& refs,
                               const TransferOptions& options = {});

}  // namespace gitstate
