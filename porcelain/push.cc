// push: one branch, with the tags in its history and the perspective
// definitions when asked.
#include "event_publish_internal.h"
#include "gitstate/branches.h"
#include "gitstate/perspective.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/remote.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "signature_policy_internal.h"
#include "sync_internal.h"

namespace gitstate {

Result<PushOutcome> push(const Repository& repo, const std::string& name, std::string_view branch,
                         const PushOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "pushing"));
  GitDir& dir = *state_of(repo).git_dir;
  std::string pushed = std::string(branch);
  if (pushed.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(pushed, repo.current_branch());
  }
  std::string ref = branch_ref(pushed);
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, read_ref(dir, ref));
  if (!head) return not_found("no branch '" + pushed + "' to push");

  // A branch that requires signatures sends only histories that satisfy it
  // (the commits the remote-tracking ref does not have yet).
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> tracked,
                            read_ref(dir, "refs/remotes/" + name + "/" + pushed));
  GITSTATE_RETURN_IF_ERROR(check_policy(state_of(repo), pushed, *head, tracked));

  PushMode moves = options.force ? PushMode::kForce : PushMode::kFastForward;
  std::vector<PushRef> refs{{ref, ref, moves}};
  if (options.tags) {
    GITSTATE_ASSIGN_OR_RETURN(auto tags, list_refs(dir, "refs/tags/"));
    for (const auto& [tag, target] : tags) {
      GITSTATE_ASSIGN_OR_RETURN(Oid commit, repo.resolve(tag));
      GITSTATE_ASSIGN_OR_RETURN(bool inside, is_ancestor(repo, commit, *head));
      if (inside) refs.push_back({tag, tag, PushMode::kCreateOnly});
    }
  }
  if (options.perspectives) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> defined, read_ref(dir, kPerspectivesRef));
    if (!defined) return not_found("no perspective definitions to push");
    refs.push_back({kPerspectivesRef, kPerspectivesRef, moves});
  }
  GITSTATE_ASSIGN_OR_RETURN(
      PushResult result, push_remote(dir, name, refs, TransferOptions{options.transfer.progress}));
  const PushedRef& sent = result.refs.front();  // the branch
  publish_sync_finished(state_of(repo), pushed, "push", name, sent.old_value,
                        sent.kept ? sent.old_value : std::optional<Oid>(sent.new_value), {});
  return PushOutcome{name, std::move(result.refs), std::move(result.tracking), result.objects_sent,
                     result.bytes_sent};
}

}  // namespace gitstate
