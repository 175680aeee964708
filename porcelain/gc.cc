#include "gitstate/gc.h"

#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

Result<GcReport> gc(const Repository& repo, const GcOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "garbage collection"));
  return collect_garbage(*state_of(repo).git_dir, options);
}

}  // namespace gitstate
