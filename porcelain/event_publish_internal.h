// Publishing events where refs move: the commit engine, branches and merges
// call these (event_bus_internal.h explains reserve and publish).
//
// Thread-safety: functions may run in parallel threads on one repository.
// The publish_* calls run sync callbacks: call them with no lock held.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commit_engine_internal.h"
#include "gitstate/events.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/tree_merge.h"
#include "repository_internal.h"

namespace gitstate {

// Reserves the sequence numbers of the events of `chain`, which just landed
// on `branch` (call where the ref moved, under the writer lock). nullopt
// when nobody listens.
std::optional<uint64_t> reserve_chain_events(RepositoryState& state, const std::string& branch,
                                             const Chain& chain);

// Publishes the events of `chain` for the numbers reserved from `first`:
// one kCommit per commit made (with its whole delta, read once), a
// kBranchMoved when it made none (a fast-forward), and kMergeFinished when
// chain.merge is set. An event that cannot be read is skipped.
void publish_chain_events(RepositoryState& state, const std::string& branch, const Chain& chain,
                          uint64_t first);

// Reserves the number of one branch event of `branch` (call where its ref
// moved, under the writer lock); nullopt when nobody listens.
std::optional<uint64_t> reserve_ref_event(RepositoryState& state, const std::string& branch);

// Publishes the branch event (created, deleted, moved) numbered `sequence`.
// A kBranchMoved is a fast-forward when `fast_forward`, otherwise a rewrite
// (squash).
void publish_ref_event(RepositoryState& state, uint64_t sequence, EventKind kind,
                       const std::string& branch, const std::optional<Oid>& old_head,
                       const std::optional<Oid>& new_head, bool fast_forward);

// Publishes kMergeStopped for `operation` of `source` on `branch` at `head`.
void publish_merge_stopped(RepositoryState& state, const std::string& branch,
                           const std::string& operation, const Oid& head, const Oid& source,
                           const std::vector<Conflict>& conflicts);

// Publishes kSyncFinished: `operation` ("pull", "push", "sync") of `branch`
// with `peer` finished, the branch moving from `old_head` to `new_head`
// (its own events were published as it moved), `conflicts` left open.
void publish_sync_finished(RepositoryState& state, const std::string& branch,
                           const std::string& operation, const std::string& peer,
                           const std::optional<Oid>& old_head, const std::optional<Oid>& new_head,
                           const std::vector<Conflict>& conflicts);

}  // namespace gitstate
