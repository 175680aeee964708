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

// Reserves and publishes one branch event (created, deleted, moved) at once;
// call right after the ref moved. A kBranchMoved is a fast-forward.
void publish_ref_event(RepositoryState& state, EventKind kind, const std::string& branch,
                       const std::optional<Oid>& old_head, const std::optional<Oid>& new_head);

// Publishes kMergeStopped for `operation` of `source` on `branch` at `head`.
void publish_merge_stopped(RepositoryState& state, const std::string& branch,
                           const std::string& operation, const Oid& head, const Oid& source,
                           std::vector<std::string> conflicts);

}  // namespace gitstate
