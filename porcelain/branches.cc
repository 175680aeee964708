#include "gitstate/branches.h"

#include "event_publish_internal.h"
#include "gitstate/plumbing/merge_base.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/revision.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "signature_policy_internal.h"

namespace gitstate {

namespace {
constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";

// Moves branch `name` from `old_head` to `new_head` (nullopt: absent), as a
// compare-and-swap under the writer lock, where its event gets its number, so
// it is ordered with the commits landing on the branch; then publishes the
// event with no lock held. A branch that requires signatures moves only to a
// history that satisfies it (kPermissionDenied). Errors as update_ref /
// delete_ref.
Status move_branch_ref(RepositoryState& state, EventKind kind, const std::string& name,
                       const std::optional<Oid>& old_head, const std::optional<Oid>& new_head,
                       const std::string& reflog) {
  std::optional<uint64_t> sequence;
  {
    GITSTATE_ASSIGN_OR_RETURN(FileLock writer, lock_writers(*state.git_dir));
    if (new_head) GITSTATE_RETURN_IF_ERROR(check_policy(state, name, *new_head, old_head));
    std::string ref = branch_ref(name);
    GITSTATE_RETURN_IF_ERROR(new_head ? update_ref(*state.git_dir, ref, *new_head, old_head, reflog)
                                      : delete_ref(*state.git_dir, ref, *old_head));
    sequence = reserve_ref_event(state, name);
  }
  if (sequence)
    publish_ref_event(state, *sequence, kind, name, old_head, new_head,
                      kind == EventKind::kBranchMoved);
  return Status::ok();
}

Result<std::vector<RefInfo>> list_under(const Repository& repo, std::string_view prefix) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "listing branches and tags"));
  GITSTATE_ASSIGN_OR_RETURN(auto refs, list_refs(*repo.git_dir(), std::string(prefix)));
  std::vector<RefInfo> out;
  out.reserve(refs.size());
  for (auto& [name, target] : refs) {
    std::string short_name = name.substr(prefix.size());
    auto commit = resolve_revision(repo, name);
    out.push_back(RefInfo{short_name, commit.is_ok() ? *commit : target});
  }
  return out;
}

Result<Oid> create_ref(const Repository& repo, std::string_view prefix, std::string_view name,
                       std::string_view rev, const char* what) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "creating a branch or tag"));
  bool branch = prefix == kHeads;
  GITSTATE_RETURN_IF_ERROR(check_ref_name(name, what));
  GITSTATE_ASSIGN_OR_RETURN(Oid target, repo.resolve(rev));
  std::string reflog = std::string("gitstate: create ") + what;
  Status status = branch ? move_branch_ref(*repo.state(), EventKind::kBranchCreated,
                                           std::string(name), std::nullopt, target, reflog)
                         : update_ref(*repo.git_dir(), std::string(prefix) + std::string(name),
                                      target, std::nullopt, reflog);
  if (status.code() == Code::kModified)
    return Status(Code::kModified,
                  std::string(what) + " '" + std::string(name) + "' already exists");
  GITSTATE_RETURN_IF_ERROR(status);
  return target;
}

Status delete_named(const Repository& repo, std::string_view prefix, std::string_view name,
                    const std::optional<Oid>& expected, const char* what) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "deleting a branch or tag"));
  GITSTATE_RETURN_IF_ERROR(check_ref_name(name, what));
  std::string ref = std::string(prefix) + std::string(name);
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> current, read_ref(*repo.git_dir(), ref));
  if (!current) return not_found(std::string(what) + " '" + std::string(name) + "' does not exist");
  Oid old_value = expected.value_or(*current);
  if (old_value != *current)
    return Status(Code::kModified, std::string(what) + " '" + std::string(name) + "' is at " +
                                       short_id(*current) + ", not " + short_id(old_value));
  if (prefix == kHeads)
    return move_branch_ref(*repo.state(), EventKind::kBranchDeleted, std::string(name), old_value,
                           std::nullopt, "gitstate: delete branch");
  return delete_ref(*repo.git_dir(), ref, old_value);
}

// True when `ancestor` is `descendant` or one of its ancestors.
Result<bool> is_ancestor(const Repository& repo, const Oid& ancestor, const Oid& descendant) {
  if (ancestor == descendant) return true;
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> bases,
                            merge_bases(*repo.git_dir(), ancestor, descendant));
  return bases.size() == 1 && bases.front() == ancestor;
}
}  // namespace

Result<std::vector<RefInfo>> list_branches(const Repository& repo) {
  return list_under(repo, kHeads);
}

Result<std::vector<RefInfo>> list_tags(const Repository& repo) { return list_under(repo, kTags); }

Result<Oid> create_branch(const Repository& repo, std::string_view name, std::string_view start) {
  return create_ref(repo, kHeads, name, start, "branch");
}

Result<Oid> create_tag(const Repository& repo, std::string_view name, std::string_view rev) {
  return create_ref(repo, kTags, name, rev, "tag");
}

Status delete_branch(const Repository& repo, std::string_view name,
                     const std::optional<Oid>& expected) {
  GITSTATE_RETURN_IF_ERROR(check_ref_name(name, "branch"));
  GITSTATE_ASSIGN_OR_RETURN(std::string current, repo.current_branch());
  if (current == name)
    return invalid("cannot delete branch '" + current + "': it is the current branch");
  return delete_named(repo, kHeads, name, expected, "branch");
}

Status delete_tag(const Repository& repo, std::string_view name) {
  return delete_named(repo, kTags, name, std::nullopt, "tag");
}

Result<Oid> fast_forward(const Repository& repo, std::string_view name, std::string_view target) {
  GITSTATE_RETURN_IF_ERROR(check_ref_name(name, "branch"));
  GITSTATE_ASSIGN_OR_RETURN(Oid to, repo.resolve(target));
  std::string branch(name);
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(*repo.state(), branch));
  if (!head) {
    GITSTATE_ASSIGN_OR_RETURN(std::string current, repo.current_branch());
    if (current != branch) return not_found("branch '" + branch + "' does not exist");
  } else {
    GITSTATE_ASSIGN_OR_RETURN(bool forward, is_ancestor(repo, *head, to));
    if (!forward)
      return Status(Code::kNonFastForward, "branch '" + branch + "' at " + short_id(*head) +
                                               " is not an ancestor of " + std::string(target) +
                                               " (" + short_id(to) + ")");
    if (*head == to) return to;
  }
  EventKind kind = head ? EventKind::kBranchMoved : EventKind::kBranchCreated;
  GITSTATE_RETURN_IF_ERROR(move_branch_ref(*repo.state(), kind, branch, head, to,
                                           "gitstate: fast-forward to " + std::string(target)));
  return to;
}

}  // namespace gitstate
