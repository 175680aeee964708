// The sync base of an adapter on a branch (docs/adapters.md, "The sync
// base"): the ref that records the last synchronized state, and how a sync
// reads the base it merges against from it.
//
// Thread-safety: functions may run in parallel threads on one repository.
#pragma once

#include <optional>
#include <string>

#include "gitstate/adapter.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "repository_internal.h"

namespace gitstate {

// The trailer that marks a commit bringing an adapter's state in ("T"); its
// value is the adapter's sync_key().
inline constexpr const char* kSyncTrailer = "State-Sync";
// The trailer of a commit recording a partial apply: "k/N" operations applied.
inline constexpr const char* kSyncAppliedTrailer = "State-Sync-Applied";

// The base a sync merges against: a commit (nullopt before the first sync)
// and its state tree.
struct SyncBase {
  std::optional<Oid> commit;
  Oid tree;
};

// "<kind>-<XXH3-128 of identity(), 32 hex>": names the adapter in its sync
// ref and trailers. Never fails.
std::string sync_key(const Adapter& adapter);

// The base recorded by the ref value `recorded` for a sync of the adapter
// whose sync_key() is `key` onto a branch at `head`: `recorded` itself, unless it is a
// commit bringing this adapter's state in (kSyncTrailer) that the branch's
// history does not hold (its merge was aborted, or the branch was reset
// past it): then the base that commit was made on, by the same rule.
// nullopt gives no commit and the empty tree. kNotFound / kCorrupt / kIO
// when history cannot be read.
Result<SyncBase> effective_sync_base(RepositoryState& state, const std::optional<Oid>& recorded,
                                     const Oid& head, const std::string& key);

// The author and committer of the commits an adapter makes:
// "gitstate sync <kind> <gitstate-sync@localhost>", now.
Signature adapter_signature(const Adapter& adapter);

}  // namespace gitstate
