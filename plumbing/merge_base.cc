#include "gitstate/plumbing/merge_base.h"

#include "git_dir_internal.h"
#include "git_error.h"

namespace gitstate {

namespace {
// kNotFound / kInvalid for an id that is not a stored commit.
Status check_commit(git_odb* odb, const Oid& id) {
  git_oid oid = to_git_oid(id);
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int rc = git_odb_read_header(&size, &type, odb, &oid);
  if (rc == GIT_ENOTFOUND)
    return not_found("commit " + id.hex() + " does not exist in the repository");
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "read object " + id.hex()));
  if (type != GIT_OBJECT_COMMIT) return invalid("object " + id.hex() + " is not a commit");
  return Status::ok();
}
}  // namespace

Result<std::vector<Oid>> merge_bases(GitDir& dir, const Oid& a, const Oid& b) {
  RepoGuard guard(dir);
  GITSTATE_ASSIGN_OR_RETURN(git_odb * odb, guard.odb());
  GITSTATE_RETURN_IF_ERROR(check_commit(odb, a));
  GITSTATE_RETURN_IF_ERROR(check_commit(odb, b));
  git_oid one = to_git_oid(a), two = to_git_oid(b);
  git_oidarray bases = {nullptr, 0};
  int rc = git_merge_bases(&bases, guard.repo(), &one, &two);
  if (rc == GIT_ENOTFOUND) return std::vector<Oid>();  // unrelated histories
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "merge bases of " + a.hex() + " and " + b.hex()));
  std::vector<Oid> out;
  out.reserve(bases.count);
  for (size_t i = 0; i < bases.count; ++i) out.push_back(from_git_oid(&bases.ids[i]));
  git_oidarray_dispose(&bases);
  return out;
}

}  // namespace gitstate
