// pull: fetch, then the three-way merge engine on the remote-tracking commit.
#include "event_publish_internal.h"
#include "gitstate/branches.h"
#include "gitstate/merge.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/remote.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "sync_internal.h"

namespace gitstate {

namespace {
Result<PullOutcome> fetch_and_merge(const Repository& repo, const std::string& name,
                                    std::string_view branch, const PullOptions& options) {
  GitDir& dir = *state_of(repo).git_dir;
  PullOutcome out;
  out.branch = options.into;
  if (out.branch.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(out.branch, repo.current_branch());
  }
  std::string remote_branch = branch.empty() ? out.branch : std::string(branch);
  GITSTATE_ASSIGN_OR_RETURN(out.old_head, read_ref(dir, branch_ref(out.branch)));
  if (!out.old_head && !options.into.empty())
    return not_found("no branch '" + out.branch + "' to pull into");

  GITSTATE_ASSIGN_OR_RETURN(out.fetched, fetch(repo, name, options.transfer));
  out.tracking_ref = "refs/remotes/" + name + "/" + remote_branch;
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> source, read_ref(dir, out.tracking_ref));
  if (!source) return not_found("remote " + name + " has no branch '" + remote_branch + "'");

  if (!out.old_head || options.ff_only) {
    if (out.old_head) {
      GITSTATE_ASSIGN_OR_RETURN(bool merged, is_ancestor(repo, *source, *out.old_head));
      if (merged) {
        out.merge = BranchMergeOutcome{MergeKind::kUpToDate, *out.old_head, *source, {}, {}, {}};
        GITSTATE_ASSIGN_OR_RETURN(out.perspectives, sync_perspectives(repo, name));
        return out;
      }
    }
    auto moved = fast_forward(repo, out.branch, source->hex());
    if (moved.status().code() == Code::kNonFastForward)
      return Status(Code::kNonFastForward,
                    "pull --ff-only: " + out.branch + " and " + name + "/" + remote_branch +
                        " have diverged; not possible to fast-forward (pull without --ff-only "
                        "to merge)");
    GITSTATE_RETURN_IF_ERROR(moved.status());
    out.merge =
        BranchMergeOutcome{out.old_head == *moved ? MergeKind::kUpToDate : MergeKind::kFastForward,
                           *moved,
                           *source,
                           {},
                           {},
                           {}};
  } else {
    BranchMergeOptions merge_options = options.merge;
    if (merge_options.message.empty())
      merge_options.message = "Merge " + name + "/" + remote_branch + " into " + out.branch;
    GITSTATE_ASSIGN_OR_RETURN(out.merge, merge(repo, source->hex(), out.branch, merge_options));
  }
  GITSTATE_ASSIGN_OR_RETURN(out.perspectives, sync_perspectives(repo, name));
  return out;
}
}  // namespace

Result<PullOutcome> pull(const Repository& repo, const std::string& name, std::string_view branch,
                         const PullOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "pulling"));
  GITSTATE_ASSIGN_OR_RETURN(PullOutcome out, fetch_and_merge(repo, name, branch, options));
  publish_sync_finished(state_of(repo), out.branch, "pull", name, out.old_head, out.merge.head,
                        out.merge.conflicts);
  return out;
}

}  // namespace gitstate
