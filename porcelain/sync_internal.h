// What the sync porcelain files (remote.cc, pull.cc, push.cc) share.
#pragma once

#include <string>

#include "gitstate/remote.h"

namespace gitstate {

// Brings the perspective definitions fetched from `remote` (kept at
// remote_perspectives_ref(remote)) into refs/gitstate/perspectives:
// adopted when absent here, fast-forwarded when they descend from ours,
// left alone when ours contain them or the two diverged. kModified when the
// local ref moved meanwhile; kIO/kCorrupt when history cannot be read.
Result<PerspectivesOutcome> sync_perspectives(const Repository& repo, const std::string& remote);

// true when `ancestor` is `descendant` or in its history.
Result<bool> is_ancestor(const Repository& repo, const Oid& ancestor, const Oid& descendant);

}  // namespace gitstate
