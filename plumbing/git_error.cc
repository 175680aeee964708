#include "git_error.h"

#include <git2.h>

#include <string>

namespace gitstate {

namespace {
Code code_for(int rc, int klass) {
  switch (rc) {
    case GIT_ENOTFOUND:
      return Code::kNotFound;
    case GIT_EMODIFIED:
      return Code::kModified;
    case GIT_EEXISTS:
    case GIT_ELOCKED:
    case GIT_ECONFLICT:
    case GIT_EMERGECONFLICT:
    case GIT_EUNMERGED:
      return Code::kConflict;
    case GIT_ENONFASTFORWARD:
      return Code::kNonFastForward;
    case GIT_EINVALIDSPEC:
    case GIT_EINVALID:
    case GIT_EAMBIGUOUS:
    case GIT_EBAREREPO:
    case GIT_EUNBORNBRANCH:
    case GIT_EPEEL:
    case GIT_EDIRECTORY:
      return Code::kInvalid;
    case GIT_EMISMATCH:
      return Code::kCorrupt;
    case GIT_EAUTH:
    case GIT_ECERTIFICATE:
    case GIT_EOWNER:
      return Code::kPermissionDenied;
    default:
      break;
  }
  switch (klass) {
    case GIT_ERROR_ZLIB:
      return Code::kCorrupt;
    case GIT_ERROR_INVALID:
      return Code::kInvalid;
    default:
      return Code::kIO;
  }
}
}  // namespace

Status git_status(int rc, std::string_view context) {
  if (rc >= 0) return Status::ok();
  const git_error* last = git_error_last();
  int klass = last ? last->klass : GIT_ERROR_NONE;
  std::string message(context);
  message += ": ";
  message += last && last->message ? last->message : "libgit2 error " + std::to_string(rc);
  return Status(code_for(rc, klass), std::move(message));
}

}  // namespace gitstate
