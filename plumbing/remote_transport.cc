// fetch_remote and push_remote: transfers through libgit2's transports, with
// the received objects checked before any ref moves.
#include <algorithm>
#include <map>
#include <set>

#include "file_io.h"
#include "git_dir_internal.h"
#include "git_error.h"
#include "gitstate/plumbing/file_lock.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/remote.h"
#include "pack_dir.h"
#include "pack_index.h"
#include "received_check.h"
#include "remote_internal.h"

namespace gitstate {

namespace {
constexpr char kPerspectivesRef[] = "refs/gitstate/perspectives";
constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Connects in `direction`; the remote's absence is kNotFound.
Status connect(git_remote* remote, git_direction direction, const TransferCallbacks& callbacks,
               const std::string& name) {
  int rc = git_remote_connect(remote, direction, callbacks.callbacks(), nullptr, nullptr);
  Status status = redacted(git_status(
      rc, "connect to remote " + name + " (" + std::string(git_remote_url(remote)) + ")"));
  if (status.is_ok() || status.code() != Code::kIO) return status;
  // How the transports say that nothing is at the URL.
  for (const char* missing :
       {"not found", "does not appear", "ould not find", "not exported", " 404",
        "no such repository", "failed to resolve path", "unsupported URL protocol"})
    if (status.message().find(missing) != std::string::npos) return not_found(status.message());
  return status;
}

struct Advertised {
  std::vector<std::pair<std::string, Oid>> refs;  // by name, peeled entries left out
  std::optional<std::string> head_branch;
};

Result<Advertised> advertised(git_remote* remote) {
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  GITSTATE_RETURN_IF_ERROR(
      redacted(git_status(git_remote_ls(&heads, &count, remote), "list remote refs")));
  Advertised out;
  for (size_t i = 0; i < count; ++i) {
    std::string name = heads[i]->name;
    if (name == "HEAD") {
      if (heads[i]->symref_target && starts_with(heads[i]->symref_target, kHeads))
        out.head_branch = std::string(heads[i]->symref_target).substr(kHeads.size());
      continue;
    }
    if (name.ends_with("^{}")) continue;
    out.refs.emplace_back(std::move(name), from_git_oid(&heads[i]->oid));
  }
  if (!out.head_branch) {
    git_buf buf = GIT_BUF_INIT;
    if (git_remote_default_branch(&buf, remote) == 0 && starts_with(buf.ptr, kHeads))
      out.head_branch = std::string(buf.ptr).substr(kHeads.size());
    git_buf_dispose(&buf);
    git_error_clear();
  }
  std::sort(out.refs.begin(), out.refs.end());
  return out;
}

// The local ref a fetched remote ref goes to; empty when it is not fetched.
std::string fetched_into(const std::string& remote_ref, const std::string& remote) {
  if (starts_with(remote_ref, kHeads))
    return "refs/remotes/" + remote + "/" + remote_ref.substr(kHeads.size());
  if (starts_with(remote_ref, kTags)) return remote_ref;
  if (remote_ref == kPerspectivesRef) return remote_perspectives_ref(remote);
  return {};
}

std::string tracking_of(const std::string& remote_ref, const std::string& remote) {
  if (starts_with(remote_ref, kHeads) || remote_ref == kPerspectivesRef)
    return fetched_into(remote_ref, remote);
  return {};
}

bool has_object(git_repository* repo, const Oid& id) {
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return false;
  git_oid oid = to_git_oid(id);
  bool exists = git_odb_exists(odb, &oid) == 1;
  git_odb_free(odb);
  return exists;
}

// The commit `id` peels to (a commit itself, or an annotated tag's target).
Result<Oid> peel_to_commit(git_repository* repo, const Oid& id) {
  git_oid oid = to_git_oid(id);
  git_object* object = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_object_lookup(&object, repo, &oid, GIT_OBJECT_ANY),
                                      "read received object " + id.hex()));
  git_object* peeled = nullptr;
  int rc = git_object_peel(&peeled, object, GIT_OBJECT_COMMIT);
  git_object_free(object);
  if (rc < 0) return corrupt("received ref target " + id.hex() + " does not lead to a commit");
  Oid out = from_git_oid(git_object_id(peeled));
  git_object_free(peeled);
  return out;
}

// Commits reachable from `tips` and from none of `known` (local ref values).
Result<std::vector<Oid>> new_commits(git_repository* repo, const std::vector<Oid>& tips,
                                     const std::vector<Oid>& known) {
  git_revwalk* raw = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_revwalk_new(&raw, repo), "walk received history"));
  std::unique_ptr<git_revwalk, void (*)(git_revwalk*)> walk(raw, git_revwalk_free);
  for (const Oid& tip : tips) {
    GITSTATE_ASSIGN_OR_RETURN(Oid commit, peel_to_commit(repo, tip));
    git_oid oid = to_git_oid(commit);
    if (git_revwalk_push(walk.get(), &oid) < 0)
      return corrupt("received commit " + commit.hex() +
                     " cannot be walked: " + git_error_last()->message);
  }
  for (const Oid& id : known) {
    git_oid oid = to_git_oid(id);
    if (git_revwalk_hide(walk.get(), &oid) < 0) git_error_clear();  // not a commit: nothing to hide
  }
  std::vector<Oid> out;
  git_oid oid;
  int rc;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) out.push_back(from_git_oid(&oid));
  if (rc != GIT_ITEROVER)
    return corrupt(std::string("the received history is incomplete or malformed: ") +
                   (git_error_last() ? git_error_last()->message : "walk failed"));
  return out;
}

// Packs in `after` but not `before` that hold one of `ids`.
std::vector<std::string> received_packs(const std::vector<PackInfo>& before,
                                        const std::vector<PackInfo>& after,
                                        const std::vector<Oid>& ids) {
  std::set<std::string> old;
  for (const auto& p : before) old.insert(p.base);
  std::vector<std::string> out;
  for (const auto& p : after) {
    if (old.count(p.base)) continue;
    auto listed = read_pack_index_ids(p.base + ".idx");
    if (!listed.is_ok()) continue;
    std::set<Oid> in_pack(listed->begin(), listed->end());
    if (std::any_of(ids.begin(), ids.end(), [&](const Oid& id) { return in_pack.count(id) > 0; }))
      out.push_back(p.base);
  }
  return out;
}
}  // namespace

Result<FetchResult> fetch_remote(GitDir& dir, ObjectStore& store, const std::string& name,
                                 const TransferOptions& options) {
  GITSTATE_ASSIGN_OR_RETURN(RepositoryPtr repo, open_own_repository(dir));
  GITSTATE_ASSIGN_OR_RETURN(RemotePtr remote, lookup_remote(repo.get(), name));
  // Consolidation must not fold the unchecked pack into another one.
  GITSTATE_ASSIGN_OR_RETURN(FileLock consolidation,
                            FileLock::acquire(dir.path() + "/gitstate-consolidate.lock"));
  TransferCallbacks callbacks(options);
  GITSTATE_RETURN_IF_ERROR(connect(remote.get(), GIT_DIRECTION_FETCH, callbacks, name));
  GITSTATE_ASSIGN_OR_RETURN(Advertised ads, advertised(remote.get()));

  FetchResult result;
  result.remote_head = ads.head_branch;
  struct Planned {
    std::string local;
    Oid value;
    std::optional<Oid> before;
  };
  std::vector<Planned> plan;
  std::vector<Oid> tips;
  for (const auto& [ref, value] : ads.refs) {
    std::string local = fetched_into(ref, name);
    if (local.empty()) continue;
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> before, read_ref(dir, local));
    plan.push_back({local, value, before});
    if (!has_object(repo.get(), value)) tips.push_back(value);
  }
  std::sort(tips.begin(), tips.end());
  tips.erase(std::unique(tips.begin(), tips.end()), tips.end());

  if (!tips.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(auto known_refs, list_refs(dir, ""));
    std::vector<Oid> known;
    for (const auto& [ref, value] : known_refs) known.push_back(value);
    GITSTATE_ASSIGN_OR_RETURN(auto packs_before, list_packs(pack_dir(dir), false));

    git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
    fetch.callbacks = *callbacks.callbacks();
    fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    fetch.update_fetchhead = 0;
    std::string heads = "+refs/heads/*:refs/remotes/" + name + "/*";
    std::string perspectives =
        std::string("+") + kPerspectivesRef + ":" + remote_perspectives_ref(name);
    const char* specs[] = {heads.c_str(), "refs/tags/*:refs/tags/*", perspectives.c_str()};
    git_strarray refspecs{const_cast<char**>(specs), 3};
    Status downloaded = redacted(git_status(git_remote_download(remote.get(), &refspecs, &fetch),
                                            "fetch from remote " + name));
    const git_indexer_progress* stats = git_remote_stats(remote.get());
    result.objects_received = stats->received_objects;
    result.bytes_received = stats->received_bytes;
    git_remote_disconnect(remote.get());

    Status checked = downloaded;
    if (checked.is_ok()) {
      auto commits = new_commits(repo.get(), tips, known);
      checked = commits.is_ok() ? check_received_commits(store, *commits) : commits.status();
      if (!checked.is_ok())
        checked = Status(Code::kCorrupt, "remote " + name + " sent objects gitstate rejects: " +
                                             checked.message() + "; nothing was changed");
    }
    GITSTATE_ASSIGN_OR_RETURN(auto packs_after, list_packs(pack_dir(dir), false));
    std::vector<std::string> received = received_packs(packs_before, packs_after, tips);
    if (!checked.is_ok()) {
      for (const auto& base : received) (void)remove_pack(base);
      RepoGuard guard(dir);
      (void)guard.reopen_odb();
      return redacted(checked);
    }
    for (const auto& base : received) {
      GITSTATE_RETURN_IF_ERROR(sync_file(base + ".pack"));
      GITSTATE_RETURN_IF_ERROR(sync_file(base + ".idx"));
    }
    if (!received.empty()) GITSTATE_RETURN_IF_ERROR(sync_directory(pack_dir(dir)));
  } else {
    git_remote_disconnect(remote.get());
  }

  for (const Planned& p : plan) {
    if (p.before == p.value) continue;
    if (starts_with(p.local, kTags) && p.before) {
      result.kept_tags.push_back(p.local.substr(kTags.size()));
      continue;
    }
    GITSTATE_RETURN_IF_ERROR(update_ref(dir, p.local, p.value, p.before, "fetch " + name));
    result.moved.push_back({p.local, p.before, p.value});
  }
  return result;
}

Result<PushResult> push_remote(GitDir& dir, const std::string& name,
                               const std::vector<PushRef>& refs, const TransferOptions& options) {
  GITSTATE_ASSIGN_OR_RETURN(RepositoryPtr repo, open_own_repository(dir));
  GITSTATE_ASSIGN_OR_RETURN(RemotePtr remote, lookup_remote(repo.get(), name));
  std::vector<Oid> local_values;
  for (const PushRef& ref : refs) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> value, read_ref(dir, ref.local_ref));
    if (!value) return not_found("nothing to push: " + ref.local_ref + " does not exist");
    int valid = 0;
    if (git_reference_name_is_valid(&valid, ref.remote_ref.c_str()) < 0 || !valid)
      return invalid("'" + ref.remote_ref + "' is not a valid ref name");
    local_values.push_back(*value);
  }
  TransferCallbacks callbacks(options);
  GITSTATE_RETURN_IF_ERROR(connect(remote.get(), GIT_DIRECTION_PUSH, callbacks, name));
  GITSTATE_ASSIGN_OR_RETURN(Advertised ads, advertised(remote.get()));
  std::map<std::string, Oid> theirs(ads.refs.begin(), ads.refs.end());

  PushResult result;
  std::vector<std::string> specs;
  for (size_t i = 0; i < refs.size(); ++i) {
    const PushRef& ref = refs[i];
    PushedRef pushed;
    pushed.remote_ref = ref.remote_ref;
    pushed.new_value = local_values[i];
    if (auto it = theirs.find(ref.remote_ref); it != theirs.end()) pushed.old_value = it->second;
    pushed.up_to_date = pushed.old_value == pushed.new_value;
    pushed.kept = !pushed.up_to_date && pushed.old_value && ref.mode == PushMode::kCreateOnly;
    if (!pushed.up_to_date && pushed.old_value && ref.mode == PushMode::kFastForward) {
      git_oid ours = to_git_oid(pushed.new_value), old = to_git_oid(*pushed.old_value);
      std::string where = ref.remote_ref + " on remote " + name;
      if (!has_object(repo.get(), *pushed.old_value))
        return Status(Code::kNonFastForward,
                      "push of " + ref.local_ref + " refused: " + where + " is at " +
                          pushed.old_value->hex() +
                          ", which this repository does not have (fetch and merge first, or "
                          "--force)");
      if (git_graph_descendant_of(repo.get(), &ours, &old) != 1)
        return Status(Code::kNonFastForward,
                      "push of " + ref.local_ref + " refused: not a fast-forward of " + where +
                          " (" + pushed.old_value->hex() +
                          "); it would lose commits (pull first, or --force)");
    }
    if (!pushed.up_to_date && !pushed.kept)
      specs.push_back(std::string(ref.mode == PushMode::kForce ? "+" : "") + ref.local_ref + ":" +
                      ref.remote_ref);
    result.refs.push_back(std::move(pushed));
  }

  if (!specs.empty()) {
    std::vector<const char*> raw_specs;
    for (const auto& s : specs) raw_specs.push_back(s.c_str());
    git_strarray refspecs{const_cast<char**>(raw_specs.data()), raw_specs.size()};
    git_push_options push = GIT_PUSH_OPTIONS_INIT;
    push.callbacks = *callbacks.callbacks();
    Status uploaded = redacted(
        git_status(git_remote_upload(remote.get(), &refspecs, &push), "push to remote " + name));
    result.objects_sent = callbacks.sent_objects();
    result.bytes_sent = callbacks.sent_bytes();
    git_remote_disconnect(remote.get());
    GITSTATE_RETURN_IF_ERROR(uploaded);
  } else {
    git_remote_disconnect(remote.get());
  }

  std::set<std::string> refused;
  for (const auto& [ref, reason] : callbacks.rejected()) refused.insert(ref);
  for (const PushedRef& pushed : result.refs) {
    std::string tracking = tracking_of(pushed.remote_ref, name);
    if (tracking.empty() || pushed.kept || refused.count(pushed.remote_ref)) continue;
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> before, read_ref(dir, tracking));
    if (before == pushed.new_value) continue;
    GITSTATE_RETURN_IF_ERROR(update_ref(dir, tracking, pushed.new_value, before, "push " + name));
    result.tracking.push_back({tracking, before, pushed.new_value});
  }
  if (!callbacks.rejected().empty()) {
    const auto& [ref, reason] = callbacks.rejected().front();
    bool ff = reason.find("fast-forward") != std::string::npos ||
              reason.find("fetch first") != std::string::npos;
    return redacted(Status(ff ? Code::kNonFastForward : Code::kPermissionDenied,
                           "remote " + name + " rejected the update of " + ref + ": " + reason));
  }
  return result;
}

}  // namespace gitstate
