// The check of objects received from a remote: every commit newly reachable
// from fetched tips, with the states it holds, must be what gitstate itself
// would have written (docs/sync.md, "What is checked").
//
// Thread-safety: reads through a thread-safe ObjectStore; no shared state.
#pragma once

#include <vector>

#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

// Checks each commit in `commits`: it parses strictly (parse_commit), and
// its tree is a state tree every reader accepts: entry names are escapes of
// keys of at most kMaxKeyBytes (or well-formed fanout buckets), modes are
// 040000 or 100644, blobs are canonical JSON text (not objects) of at most
// kMaxBlobBytes, nesting stays within kMaxDepth. Trees and blobs shared by
// several commits are checked once. kCorrupt naming the first bad object
// (a missing one too: the remote sent an incomplete history); kIO when the
// store cannot be read.
Status check_received_commits(ObjectStore& store, const std::vector<Oid>& commits);

}  // namespace gitstate
