// Refs: named pointers to commits (branches, tags, gitstate's own refs), moved
// only by compare-and-swap.
//
// Every change names the value the caller expects the ref to have now;
// when another writer (thread or process) got there first, the change fails
// with kModified and nothing is lost: the caller re-reads, rebases or
// reports. "Must not exist" is expected_old = nullopt. Names are full ref
// names ("refs/heads/main", "refs/gitstate/merge/x") or "HEAD"; updating a
// symbolic ref (HEAD) updates the branch it points to, as `git update-ref`.
//
// git's file locks (<ref>.lock) make each compare-and-swap atomic across
// processes. A writer that finds the lock held retries with jittered
// exponential backoff, from 50 us up to 20 ms per wait and at most
// kRefLockTimeout in total, then gives up with kConflict.
//
// Thread-safety: every function may be called from any thread; calls on one
// GitDir are serialised by it (the lock is released while backing off).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gitstate/plumbing/file_lock.h"
#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

// How long a ref update waits for another writer's lock before kConflict.
constexpr std::chrono::milliseconds kRefLockTimeout{2000};

// The commit `name` points to, following symbolic refs; nullopt when the ref
// (or, for HEAD, the branch it names) does not exist. kInvalid for a
// malformed name; kIO when the ref store cannot be read.
Result<std::optional<Oid>> read_ref(GitDir& dir, const std::string& name);

// The branch HEAD points to, without "refs/heads/" ("main"), whether or not
// it has commits yet. kInvalid when HEAD is detached or points outside
// refs/heads/; kIO when HEAD cannot be read.
Result<std::string> head_branch(GitDir& dir);

// Points HEAD at refs/heads/<branch> (which need not exist yet), as
// `git symbolic-ref HEAD`. kInvalid for a malformed branch name; kIO when
// HEAD cannot be written.
Status set_head_branch(GitDir& dir, const std::string& branch);

// Every ref whose full name starts with `prefix` ("refs/heads/", or "" for
// all), with the commit it resolves to, sorted by name. Symbolic refs are
// listed with their target's value; dangling ones are left out. kIO when the
// ref store cannot be read.
Result<std::vector<std::pair<std::string, Oid>>> list_refs(GitDir& dir, const std::string& prefix);

// Points `name` at `new_value` if it currently points at `expected_old`
// (nullopt: if it does not exist), and appends `log_message` to its reflog.
// The change survives power loss when this returns: it is recorded in the
// repository's commit journal, which is synced (see make_durable()).
// kModified when the current value differs (the message names the ref, the
// expected and the actual value); kInvalid for a malformed name or a zero
// `new_value`; kConflict when another writer held the ref's lock for longer
// than kRefLockTimeout; kIO when the ref cannot be written.
Status update_ref(GitDir& dir, const std::string& name, const Oid& new_value,
                  const std::optional<Oid>& expected_old, const std::string& log_message);

// A position in the repository's commit journal: make_durable() of a ticket
// makes the change that returned it survive power loss.
using JournalTicket = uint64_t;

// update_ref() without waiting for durability: when it returns, the change is
// visible to every reader and survives the death of the process; it survives
// power loss once make_durable(dir, ticket) returned. Lets a committer move
// the ref under a lock and sync after releasing it, so concurrent committers
// share syncs. Errors as update_ref(); kPermissionDenied when the repository
// is read-only.
Result<JournalTicket> update_ref_unsynced(GitDir& dir, const std::string& name,
                                          const Oid& new_value,
                                          const std::optional<Oid>& expected_old,
                                          const std::string& log_message);

// Makes the change behind `ticket`, and every earlier change of this process,
// survive power loss (one fdatasync of the journal, shared with concurrent
// callers). kIO when the sync fails.
Status make_durable(GitDir& dir, JournalTicket ticket);

// Deletes `name` (and its reflog) if it currently points at `expected_old`.
// kNotFound when it does not exist; kModified when it points elsewhere;
// kInvalid for a malformed name; kConflict when locked past
// kRefLockTimeout; kIO when it cannot be removed.
Status delete_ref(GitDir& dir, const std::string& name, const Oid& expected_old);

// The repository's writer lock (<repository>/gitstate-writer.lock).
// gitstate's committers hold it from re-reading a branch head to moving the
// branch, so concurrent writers queue instead of racing for the ref's lock
// file; writers that do not take it (stock git) are still caught by
// update_ref()'s compare-and-swap. Waits until the lock is free; released when
// the FileLock is destroyed or its process dies. kPermissionDenied or kIO
// when the lock file cannot be opened or locked.
Result<FileLock> lock_writers(GitDir& dir);

// Removes ref lock files (refs/**/*.lock, HEAD.lock, packed-refs.lock) last
// modified more than `age` ago and returns how many. A writer killed in the
// middle of a ref update leaves its lock behind, and that ref then refuses
// every update (kConflict) until the lock goes; stock git leaves such locks
// for a person to remove. gitstate's commit path calls this, holding the
// writer lock, when a branch's lock outlives kRefLockTimeout. A live writer holds a ref lock for
// micro- to milliseconds, so a lock older than a few seconds is abandoned. kIO when the ref
// directory cannot be read.
Result<size_t> remove_stale_ref_locks(GitDir& dir, std::chrono::seconds age);

}  // namespace gitstate
