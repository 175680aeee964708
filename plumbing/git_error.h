// git_status(): the one place where libgit2 error codes become gitstate Codes.
//
// Every plumbing call into libgit2 hands its return code here. The mapping is
// by code first (GIT_ENOTFOUND -> kNotFound, GIT_EMODIFIED -> kModified, ...)
// and, for libgit2's generic -1, by error class (zlib -> kCorrupt, OS -> kIO).
// The message is the caller's context plus libgit2's thread-local last error.
// GIT_ELOCKED maps to kConflict; callers that can wait for the lock (ref
// updates) retry before they get here.
//
// Thread-safety: reads libgit2's per-thread error state; safe on any thread.
#pragma once

#include <string_view>

#include "gitstate/result.h"

namespace gitstate {

// Ok when rc >= 0; otherwise the Code for `rc` and a message
// "<context>: <libgit2 message>".
Status git_status(int rc, std::string_view context);

}  // namespace gitstate
