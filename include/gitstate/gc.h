// Garbage collection (docs/concurrency.md, "Garbage collection"): gc()
// repacks every object reachable from the repository's refs, HEAD and
// reflogs into one pack with delta compression, and removes the old packs
// and loose objects, which drops unreachable objects older than a grace
// period (one hour by default). Objects in files written within the grace
// period, and everything they refer to, stay: a concurrent writer may not
// have moved its ref yet. What gc keeps, the order in which it replaces
// files, and the races it closes with concurrent writers are specified in
// gitstate/plumbing/object_gc.h; GcOptions and GcReport are defined there.
//
// Reachable history is never removed, whatever the ref that keeps it: an
// archive ref under refs/gitstate, a merge stopped on conflicts
// (refs/gitstate/merge/*), sync bases, perspective definitions,
// remote-tracking refs and tags all keep their objects.
//
// Thread-safety: may run while other threads and processes read and commit;
// one gc at a time per repository (a second waits for the first).
#pragma once

#include "gitstate/plumbing/object_gc.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

// Collects garbage in the repository of `repo` and reports what changed.
// kPermissionDenied when `repo` is bound to a perspective (gc acts on the
// whole repository) or the repository is not writable; kInvalid for a
// negative grace period; kCorrupt when a ref points at a missing object or
// a reachable object is missing or unreadable (nothing is removed then);
// kIO when files cannot be read or written. A failure before the new pack
// is installed removes nothing; a later one leaves every reachable object.
Result<GcReport> gc(const Repository& repo, const GcOptions& options = {});

}  // namespace gitstate
