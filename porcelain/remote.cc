// Remotes in the configuration, fetch, clone, and the perspective
// definitions a sync brings in.
#include "gitstate/remote.h"

#include <filesystem>
#include <system_error>

#include "gitstate/perspective.h"
#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/merge_base.h"
#include "gitstate/plumbing/refs.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "sync_internal.h"

namespace gitstate {

namespace fs = std::filesystem;

Result<std::vector<RemoteConfig>> list_remotes(const Repository& repo) {
  return list_remotes(*state_of(repo).git_dir);
}

Status add_remote(const Repository& repo, const std::string& name, const std::string& url) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "adding a remote"));
  return add_remote(*state_of(repo).git_dir, name, url);
}

Status remove_remote(const Repository& repo, const std::string& name) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "removing a remote"));
  return remove_remote(*state_of(repo).git_dir, name);
}

Result<bool> is_ancestor(const Repository& repo, const Oid& ancestor, const Oid& descendant) {
  if (ancestor == descendant) return true;
  GITSTATE_ASSIGN_OR_RETURN(auto bases, merge_bases(*state_of(repo).git_dir, ancestor, descendant));
  return bases.size() == 1 && bases.front() == ancestor;
}

Result<FetchOutcome> fetch(const Repository& repo, const std::string& name,
                           const RemoteOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "fetching"));
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(FetchResult fetched, fetch_remote(*state.git_dir, *state.store, name,
                                                              TransferOptions{options.progress}));
  return FetchOutcome{name,
                      std::move(fetched.moved),
                      std::move(fetched.kept_tags),
                      std::move(fetched.remote_head),
                      fetched.objects_received,
                      fetched.bytes_received};
}

Result<PerspectivesOutcome> sync_perspectives(const Repository& repo, const std::string& remote) {
  GitDir& dir = *state_of(repo).git_dir;
  PerspectivesOutcome out;
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> theirs,
                            read_ref(dir, remote_perspectives_ref(remote)));
  GITSTATE_ASSIGN_OR_RETURN(out.old_value, read_ref(dir, kPerspectivesRef));
  out.new_value = out.old_value;
  if (!theirs) return out;
  if (!out.old_value) {
    out.result = PerspectivesSync::kAdopted;
  } else {
    GITSTATE_ASSIGN_OR_RETURN(bool contained, is_ancestor(repo, *theirs, *out.old_value));
    if (contained) {
      out.result = PerspectivesSync::kUpToDate;
      return out;
    }
    GITSTATE_ASSIGN_OR_RETURN(bool forward, is_ancestor(repo, *out.old_value, *theirs));
    out.result = forward ? PerspectivesSync::kFastForward : PerspectivesSync::kDiverged;
    if (!forward) return out;
  }
  GITSTATE_RETURN_IF_ERROR(
      update_ref(dir, kPerspectivesRef, *theirs, out.old_value, "perspectives from " + remote));
  out.new_value = theirs;
  return out;
}

namespace {
// Removes a directory clone() made when the clone fails.
class CreatedDirectory {
 public:
  explicit CreatedDirectory(std::string path) : path_(std::move(path)) {}
  ~CreatedDirectory() {
    std::error_code ec;
    if (!kept_) fs::remove_all(path_, ec);
  }
  void keep() { kept_ = true; }

 private:
  std::string path_;
  bool kept_ = false;
};

Result<CloneOutcome> clone_into(const std::string& url, const std::string& path,
                                const CloneOptions& options) {
  GITSTATE_ASSIGN_OR_RETURN(auto dir, GitDir::init(path));
  GITSTATE_RETURN_IF_ERROR(add_remote(*dir, options.remote_name, url));
  dir.reset();
  GITSTATE_ASSIGN_OR_RETURN(Repository repo, Repository::open(path));
  GITSTATE_ASSIGN_OR_RETURN(FetchOutcome fetched,
                            fetch(repo, options.remote_name, options.transfer));
  GitDir& git = *state_of(repo).git_dir;
  std::string prefix = "refs/remotes/" + options.remote_name + "/";
  GITSTATE_ASSIGN_OR_RETURN(auto tracking, list_refs(git, prefix));
  CloneOutcome out{repo, std::move(fetched), "main", std::nullopt, {}};
  if (!tracking.empty()) {
    // The remote's default branch; without one advertised, its first branch.
    auto chosen = tracking.begin();
    for (auto it = tracking.begin(); it != tracking.end(); ++it)
      if (out.fetched.remote_head && it->first == prefix + *out.fetched.remote_head) chosen = it;
    std::string branch = chosen->first.substr(prefix.size());
    Oid head = chosen->second;
    GITSTATE_RETURN_IF_ERROR(update_ref(git, "refs/heads/" + branch, head, std::nullopt,
                                        "clone from " + options.remote_name));
    GITSTATE_RETURN_IF_ERROR(set_head_branch(git, branch));
    out.branch = branch;
    out.head = head;
  }
  GITSTATE_ASSIGN_OR_RETURN(out.perspectives, sync_perspectives(repo, options.remote_name));
  return out;
}
}  // namespace

Result<CloneOutcome> clone(const std::string& url, const std::string& path,
                           const CloneOptions& options) {
  std::error_code ec;
  if (fs::exists(path, ec) && !(fs::is_directory(path, ec) && fs::is_empty(path, ec)))
    return invalid("cannot clone into " + path + ": it exists and is not an empty directory");
  bool existed = fs::exists(path, ec);
  CreatedDirectory created(path);
  auto out = clone_into(url, path, options);
  if (out.is_ok()) {
    created.keep();
  } else if (existed) {
    created.keep();
    for (const auto& entry : fs::directory_iterator(path, ec)) fs::remove_all(entry.path(), ec);
  }
  return out;
}

}  // namespace gitstate
