#include <algorithm>
#include <cctype>
#include <queue>
#include <unordered_map>

#include "gitstate/plumbing/signed_commit.h"
#include "signature_policy_internal.h"

namespace gitstate {

namespace {
constexpr uint8_t kFromHead = 1, kFromExclude = 2;

std::string policy_key(std::string_view branch) {
  return "gitstate.branch." + std::string(branch) + ".requireSignatures";
}

Result<bool> config_bool(GitDir& dir, const std::string& key) {
  GITSTATE_ASSIGN_OR_RETURN(std::optional<std::string> value, dir.config_get(key));
  if (!value) return false;
  std::string v = *value;
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v.empty() || v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  return invalid("config " + key + " = '" + *value + "' is not a boolean");
}

Status refuse(std::string_view branch, const std::string& why) {
  return Status(Code::kPermissionDenied, "branch '" + std::string(branch) +
                                             "' requires signed commits (" + policy_key(branch) +
                                             "): " + why);
}
}  // namespace

const char* signature_status_name(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::kUnsigned:
      return "unsigned";
    case SignatureStatus::kGood:
      return "good";
    case SignatureStatus::kBad:
      return "bad";
    case SignatureStatus::kUnknownKey:
      return "unknown-key";
    case SignatureStatus::kWrongPrincipal:
      return "wrong-principal";
    case SignatureStatus::kUnchecked:
      return "unchecked";
  }
  return "bad";
}

SignatureCheck check_commit_signature(std::string_view content, const AllowedSigners* signers) {
  SignatureCheck check;
  std::optional<SignedPayload> signed_payload = split_signed_commit(content);
  if (!signed_payload) return check;
  auto commit = parse_commit(content);
  if (!commit.is_ok()) {
    check.status = SignatureStatus::kBad;
    check.message = commit.status().message();
    return check;
  }
  check.principal = commit->committer.email;
  auto info = sshsig_verify(signed_payload->signature, signed_payload->payload);
  if (!info.is_ok()) {
    check.status = SignatureStatus::kBad;
    check.message = info.status().message();
    return check;
  }
  check.key = info->key.fingerprint();
  if (!signers) {
    check.status = SignatureStatus::kUnchecked;
    check.message = "no allowed signers file to check key " + check.key + " against";
    return check;
  }
  if (signers->find(check.principal, info->key, "git", commit->committer.time)) {
    check.status = SignatureStatus::kGood;
    return check;
  }
  if (!signers->knows(info->key)) {
    check.status = SignatureStatus::kUnknownKey;
    check.message = "key " + check.key + " is not in the allowed signers";
    return check;
  }
  check.status = SignatureStatus::kWrongPrincipal;
  check.message = "key " + check.key + " may not sign as the committer " + check.principal +
                  " (in namespace git, at the commit time)";
  return check;
}

Result<std::optional<AllowedSigners>> configured_signers(RepositoryState& state) {
  GITSTATE_ASSIGN_OR_RETURN(std::optional<std::string> path,
                            state.git_dir->config_get("gpg.ssh.allowedSignersFile"));
  if (!path || path->empty()) return std::optional<AllowedSigners>();
  auto signers = AllowedSigners::load_file(config_path(state, *path));
  if (!signers.is_ok()) return signers.status().with_context("gpg.ssh.allowedSignersFile");
  return std::optional<AllowedSigners>(std::move(signers).value());
}

Result<std::optional<AllowedSigners>> load_allowed_signers(const Repository& repo,
                                                           const std::string& file) {
  if (file.empty()) return configured_signers(state_of(repo));
  GITSTATE_ASSIGN_OR_RETURN(AllowedSigners signers, AllowedSigners::load_file(file));
  return std::optional<AllowedSigners>(std::move(signers));
}

Result<SignatureCheck> read_commit_signature(const Repository& repo, const Oid& id,
                                             const AllowedSigners* signers) {
  GITSTATE_ASSIGN_OR_RETURN(Object object, repo.objects().read(id));
  if (object.type != ObjectType::kCommit) return corrupt("object " + id.hex() + " is not a commit");
  return check_commit_signature(object.data, signers);
}

Result<std::vector<Oid>> new_commits(ObjectStore& store, const Oid& head,
                                     const std::optional<Oid>& exclude) {
  // Paints commits by the tips they are reachable from, newest committer time
  // first (git's paint_down_to_common). Skewed clocks can only make a commit
  // of the excluded history count as new (checked needlessly), never the
  // reverse, since a commit is excluded only once reached from `exclude`.
  struct Node {
    uint8_t color = 0;
    int64_t time = 0;
    bool queued = false;
    bool listed = false;
  };
  std::unordered_map<Oid, Node, OidHash> nodes;
  auto later = [&nodes](const Oid& a, const Oid& b) { return nodes[a].time < nodes[b].time; };
  std::priority_queue<Oid, std::vector<Oid>, decltype(later)> queue(later);
  size_t interesting = 0;  // queued commits reachable from head only
  auto paint = [&](const Oid& id, uint8_t color) -> Status {
    auto [it, fresh] = nodes.try_emplace(id);
    Node& node = it->second;
    if (fresh) {
      GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
      node.time = commit.committer.time;
    }
    uint8_t before = node.color;
    node.color |= color;
    if (node.color == before) return Status::ok();
    if (node.queued) {
      if (before == kFromHead) --interesting;
      return Status::ok();
    }
    node.queued = true;
    if (node.color == kFromHead) ++interesting;
    queue.push(id);
    return Status::ok();
  };
  GITSTATE_RETURN_IF_ERROR(paint(head, kFromHead));
  if (exclude) GITSTATE_RETURN_IF_ERROR(paint(*exclude, kFromExclude));
  std::vector<Oid> out;
  while (!queue.empty() && interesting > 0) {
    Oid id = queue.top();
    queue.pop();
    Node& node = nodes[id];
    node.queued = false;
    uint8_t color = node.color;
    if (color == kFromHead) {
      --interesting;
      if (!node.listed) out.push_back(id);
      node.listed = true;
    }
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
    for (const Oid& parent : commit.parents) GITSTATE_RETURN_IF_ERROR(paint(parent, color));
  }
  return out;
}

Status check_policy(RepositoryState& state, std::string_view branch, const Oid& new_head,
                    const std::optional<Oid>& old_head) {
  GITSTATE_ASSIGN_OR_RETURN(bool required, config_bool(*state.git_dir, policy_key(branch)));
  if (!required || new_head == old_head) return Status::ok();
  GITSTATE_ASSIGN_OR_RETURN(std::optional<AllowedSigners> signers, configured_signers(state));
  if (!signers)
    return refuse(branch, "no allowed signers file is configured (gpg.ssh.allowedSignersFile)");
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> commits,
                            new_commits(*state.store, new_head, old_head));
  for (const Oid& id : commits) {
    GITSTATE_ASSIGN_OR_RETURN(Object object, state.store->read(id));
    SignatureCheck check = check_commit_signature(object.data, &*signers);
    if (check.status == SignatureStatus::kGood) continue;
    if (check.status == SignatureStatus::kUnsigned)
      return refuse(branch, "commit " + short_id(id) + " is not signed");
    return refuse(
        branch, "commit " + short_id(id) + " is not signed by an allowed signer: " + check.message);
  }
  return Status::ok();
}

Result<bool> requires_signatures(const Repository& repo, std::string_view branch) {
  return config_bool(*state_of(repo).git_dir, policy_key(branch));
}

Status check_signature_policy(const Repository& repo, std::string_view branch, const Oid& new_head,
                              const std::optional<Oid>& old_head) {
  return check_policy(state_of(repo), branch, new_head, old_head);
}

}  // namespace gitstate
