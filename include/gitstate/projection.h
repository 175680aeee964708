// Projected history: a branch's history as seen through a perspective,
// written as ordinary commits onto another branch that can be shared with
// readers of that perspective.
//
// project_history() walks the first-parent history of the source branch,
// oldest first. Every source commit that changes something the perspective
// shows (its view differs from its first parent's; the root commit always)
// gets one projected commit: the same author, committer, times and message,
// its tree the view of the source tree, its parent the previous projected
// commit. Source commits that change nothing visible leave no trace. Merge
// commits are projected along their first parent only (the view of the merge
// result, as one commit).
//
// Each projected commit's message ends with two trailers:
//   State-Projected-From: <source commit id>
//   State-Projection: <perspective name> <resolved digest>[ hidden-marked]
// The source id is that of a commit that changes something visible, which a
// reader bound to the perspective sees anyway (log, show); ids of commits
// that touch only hidden paths never appear. The second trailer pins the
// definition: continuing a target with a changed definition is refused.
//
// Deterministic: the same source history, perspective and options give the
// same commit ids, here or on any other machine. Incremental: a target that
// already holds a projection continues after the source commit its head was
// projected from, so projecting in several runs gives the same ids as one run.
//
// Thread-safety: may be called from several threads; the target moves by
// compare-and-swap.
#pragma once

#include <cstddef>
#include <string>

#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

constexpr char kProjectedFromTrailer[] = "State-Projected-From";
constexpr char kProjectionTrailer[] = "State-Projection";

struct ProjectOptions {
  std::string perspective;   // stored perspective name
  std::string branch;        // source branch; empty: the current branch
  std::string target;        // branch that receives the projection
  bool mark_hidden = false;  // views with hidden markers (tree_filter.h)
};

struct ProjectResult {
  Oid head;            // the target's head afterwards
  size_t created = 0;  // projected commits added by this call
};

// Projects as described above and moves (or creates) branch `target` by
// compare-and-swap. kNotFound for an unknown perspective or source branch;
// kInvalid for malformed names or target == source; kConflict when the
// target holds a commit that is not a projection, was projected with another
// definition or options, or from a history the source branch no longer
// contains; kModified when the target moved meanwhile; kPermissionDenied for
// a handle bound to a perspective. On error the target is unchanged. The
// projected commits land as commits do: durable, and announced on the event
// bus as commits on `target` (events.h).
Result<ProjectResult> project_history(const Repository& repo, const ProjectOptions& options);

}  // namespace gitstate
