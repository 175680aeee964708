// The pack backend: stores git objects in a repository's packs, written by
// gitstate itself, and keeps the number of packs small.
//
// Written objects wait in memory. flush() writes all of them as one new pack
// (format 2, objects undeltified and not compressed: zlib "stored" blocks)
// plus its .idx, built directly rather than by re-reading the pack. Files are
// written under temporary names in objects/pack and renamed into place, .pack
// before .idx, so a crash at any point leaves the repository valid and every
// earlier flush intact; nothing is ever written as a loose object. A flush
// of a small pack (under 1 MiB) also records the pack's bytes in the
// repository's commit journal (see docs/concurrency.md, "Durability"), and a
// durable flush syncs the journal: one fdatasync makes this flush and every
// earlier one survive power loss, and a reboot replays lost or damaged packs
// from the journal. A larger pack is synced in place before it is installed.
// Reads look
// at pending objects first, then at the repository through libgit2, which
// notices packs added by other processes when a lookup misses.
//
// Packs accumulate one per flush. When a flush finds more packs than
// `max_packs`, small packs are consolidated (consolidate_packs): their objects
// are written into one new pack with zlib and delta compression, which is then
// installed before the old packs are removed. Which packs merge follows a
// geometric rule (as `git repack --geometric=2`): a pack is rewritten only
// while the packs below it add up to at least half its size, so each object is
// rewritten O(log n) times over the life of the repository.
//
// Thread-safety: a backend is used under ObjectStore's lock; libgit2 use is
// serialised by the GitDir. Consolidation runs on a background thread with a
// libgit2 repository of its own. Other processes may read, write and
// consolidate the same repository at the same time.
#pragma once

#include <cstddef>
#include <memory>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/result.h"

namespace gitstate {

struct PackBackendOptions {
  // A flush that leaves more packs than this (not counting packs with a .keep
  // file) consolidates some of them; 0 turns automatic consolidation off.
  size_t max_packs = 16;
  // Consolidate on a thread of the backend's own (started on first need), so
  // flush() never waits for compression and fsyncs; destroying the backend
  // cancels a consolidation in progress, leaving the packs as they were.
  // false: flush() consolidates before it returns.
  bool background_consolidation = true;
};

// A backend storing into `dir`'s packs. Removes temporaries that crashed
// writers left in objects/pack more than an hour ago. Never fails: problems
// surface from read() and flush().
std::unique_ptr<ObjectBackend> make_pack_backend(std::shared_ptr<GitDir> dir);
std::unique_ptr<ObjectBackend> make_pack_backend(std::shared_ptr<GitDir> dir,
                                                 PackBackendOptions options);

struct ConsolidationStats {
  size_t packs_before = 0;  // packs without .keep when consolidation started
  size_t packs_merged = 0;  // packs rewritten into the new one (0: nothing done)
  size_t objects = 0;       // objects in the new pack
};

// Merges packs of `dir` when more than `max_packs` (without .keep) exist:
// the geometric rule picks the small ones, extended so that at most
// max(1, max_packs / 2) packs remain; with max_packs 0 every pack is merged
// into one. Only one process consolidates at a time (an flock on
// <repository>/gitstate-consolidate.lock, which garbage collection holds
// too: object_gc.h); another caller meanwhile returns at once with
// packs_merged 0. Works through a libgit2 repository of its own
// and takes the GitDir's lock only at the end, to make this process forget
// the removed packs. kIO or kCorrupt when objects cannot be read or the pack
// cannot be written; then the old packs are all still there.
//
// Concurrent readers: the new pack is fsync'ed and installed before any old
// one is removed, so at every moment each object is in some installed pack,
// and a reader in another process whose pack list predates the new pack
// finds it through libgit2's rescan on a miss. The window accepted: a rescan
// that runs while the new pack is renamed in and the old ones are unlinked
// may list neither; that one lookup reports kNotFound, and the next lookup,
// which rescans again, finds the object.
Result<ConsolidationStats> consolidate_packs(GitDir& dir, size_t max_packs);

}  // namespace gitstate
