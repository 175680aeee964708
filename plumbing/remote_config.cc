// Remotes in the repository's configuration, and URL redaction.
#include <git2.h>

#include <algorithm>
#include <memory>

#include "git_dir_internal.h"
#include "git_error.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/remote.h"
#include "remote_internal.h"

namespace gitstate {

std::string redact_userinfo(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (;;) {
    size_t scheme_end = text.find("://", pos);
    if (scheme_end == std::string_view::npos) break;
    size_t authority = scheme_end + 3;
    out.append(text.substr(pos, authority - pos));
    size_t end = text.find_first_of("/?# \t\r\n'\"<>", authority);
    if (end == std::string_view::npos) end = text.size();
    size_t at = text.substr(authority, end - authority).rfind('@');
    pos = at == std::string_view::npos ? authority : authority + at + 1;
  }
  out.append(text.substr(pos));
  return out;
}

Status redacted(const Status& status) {
  if (status.is_ok()) return status;
  return Status(status.code(), redact_userinfo(status.message()));
}

std::string remote_perspectives_ref(std::string_view remote) {
  return "refs/gitstate/remotes/" + std::string(remote) + "/perspectives";
}

Status check_remote_name(const std::string& name) {
  int valid = 0;
  if (git_remote_name_is_valid(&valid, name.c_str()) < 0 || !valid)
    return invalid("'" + name + "' is not a valid remote name");
  return Status::ok();
}

Result<RemotePtr> lookup_remote(git_repository* repo, const std::string& name) {
  GITSTATE_RETURN_IF_ERROR(check_remote_name(name));
  git_remote* raw = nullptr;
  int rc = git_remote_lookup(&raw, repo, name.c_str());
  if (rc == GIT_ENOTFOUND) return not_found("no remote named '" + name + "'");
  GITSTATE_RETURN_IF_ERROR(redacted(git_status(rc, "read remote " + name)));
  return RemotePtr(raw);
}

Result<std::vector<RemoteConfig>> list_remotes(GitDir& dir) {
  RepoGuard guard(dir);
  git_strarray names{};
  GITSTATE_RETURN_IF_ERROR(git_status(git_remote_list(&names, guard.repo()), "list remotes"));
  std::vector<RemoteConfig> remotes;
  Status status;
  for (size_t i = 0; i < names.count && status.is_ok(); ++i) {
    auto remote = lookup_remote(guard.repo(), names.strings[i]);
    if (!remote.is_ok()) {
      status = remote.status();
      break;
    }
    const char* url = git_remote_url(remote->get());
    remotes.push_back({names.strings[i], redact_userinfo(url ? url : "")});
  }
  git_strarray_dispose(&names);
  GITSTATE_RETURN_IF_ERROR(status);
  std::sort(remotes.begin(), remotes.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return remotes;
}

Result<std::string> remote_url(GitDir& dir, const std::string& name) {
  RepoGuard guard(dir);
  GITSTATE_ASSIGN_OR_RETURN(RemotePtr remote, lookup_remote(guard.repo(), name));
  const char* url = git_remote_url(remote.get());
  return std::string(url ? url : "");
}

Status add_remote(GitDir& dir, const std::string& name, const std::string& url) {
  GITSTATE_RETURN_IF_ERROR(check_remote_name(name));
  if (url.empty()) return invalid("remote " + name + ": the URL is empty");
  RepoGuard guard(dir);
  git_remote* raw = nullptr;
  int rc = git_remote_create(&raw, guard.repo(), name.c_str(), url.c_str());
  git_remote_free(raw);
  if (rc == GIT_EEXISTS) return Status(Code::kModified, "remote '" + name + "' already exists");
  return redacted(git_status(rc, "add remote " + name));
}

Status remove_remote(GitDir& dir, const std::string& name) {
  {
    RepoGuard guard(dir);
    GITSTATE_RETURN_IF_ERROR(lookup_remote(guard.repo(), name).status());
    GITSTATE_RETURN_IF_ERROR(redacted(
        git_status(git_remote_delete(guard.repo(), name.c_str()), "remove remote " + name)));
  }
  for (const std::string& prefix :
       {"refs/remotes/" + name + "/", "refs/gitstate/remotes/" + name + "/"}) {
    GITSTATE_ASSIGN_OR_RETURN(auto refs, list_refs(dir, prefix));
    for (const auto& [ref, value] : refs) {
      Status deleted = delete_ref(dir, ref, value);
      if (!deleted.is_ok() && deleted.code() != Code::kNotFound) return deleted;
    }
  }
  return Status::ok();
}

}  // namespace gitstate
