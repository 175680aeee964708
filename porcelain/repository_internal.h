// RepositoryState: what every copy of a Repository handle shares, and the
// small helpers the porcelain files use on it.
//
// Thread-safety: GitDir, ObjectStore, ViewCache, EventBus and ViewRefresh are
// thread-safe;
// the other members are set when the repository opens and never change.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/view_cache.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

class EventBus;
class ViewRefresh;

struct RepositoryState {
  std::string path;
  std::shared_ptr<GitDir> git_dir;
  std::unique_ptr<ObjectStore> store;
  std::string identity_name, identity_email;  // from user.name / user.email
  ViewCache views;                            // views of perspectives (thread-safe)
  std::shared_ptr<EventBus> events;           // event_bus_internal.h
  // The key `gitstate.signingKey` names (null when unset), or why it failed to load.
  std::shared_ptr<const SshSigningKey> configured_key;
  Status configured_key_error;
  // Keeps views warm from `events` (view_refresh_internal.h). Declared last:
  // it is destroyed first, before the store and cache its refreshes use.
  std::shared_ptr<ViewRefresh> view_refresh;
};

// The path a config value names: `~/` is $HOME, a relative path is relative to the repository
// directory.
std::string config_path(const RepositoryState& state, const std::string& value);

inline RepositoryState& state_of(const Repository& repo) { return *repo.state(); }

// Seconds since the Unix epoch, now.
int64_t now_seconds();

// "refs/heads/<branch>".
std::string branch_ref(std::string_view branch);

// The branch a call names: `branch`, or the current branch when empty.
// kInvalid for a malformed name; kCorrupt when HEAD is unusable.
// kInvalid naming `name` as a `what` ("branch", "tag") unless it is a valid ref name.
Status check_ref_name(std::string_view name, std::string_view what);

Result<std::string> branch_or_current(RepositoryState& state, std::string_view branch);

// The head of `branch` (nullopt when the ref does not exist).
Result<std::optional<Oid>> branch_head(RepositoryState& state, const std::string& branch);

// The commit `id`, parsed. kNotFound when absent; kCorrupt when `id` names
// another kind of object or the commit is malformed.
Result<CommitData> read_commit(ObjectStore& store, const Oid& id);

// The root tree of commit `id`, or the empty tree (written to the store, so
// walks can read it) for nullopt.
Result<Oid> tree_of(ObjectStore& store, const std::optional<Oid>& id);

// Short form of an id for messages (12 hex digits).
std::string short_id(const Oid& id);

// Signs `commit` with `key` when not null (signed_commit.h). kIO when signing fails.
Status sign_if_keyed(CommitData& commit, const std::shared_ptr<const SshSigningKey>& key);

// Writes `commit`, flushes it, and moves `ref` to it by compare-and-swap
// from `expected` (nullopt: the ref must not exist). Returns the commit id.
// kModified when the ref is not at `expected`; kIO when writing fails.
Result<Oid> commit_to_ref(RepositoryState& state, const std::string& ref, const CommitData& commit,
                          const std::optional<Oid>& expected, const std::string& reflog);

}  // namespace gitstate
