#include "gitstate/repository.h"

#include <chrono>
#include <cstdlib>

#include "event_bus_internal.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/pack_backend.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/signed_commit.h"
#include "gitstate/revision.h"
#include "gitstate/transaction.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "transaction_internal.h"
#include "view_refresh_internal.h"

namespace gitstate {

namespace {
constexpr char kDefaultName[] = "gitstate";
constexpr char kDefaultEmail[] = "gitstate@localhost";

Result<std::shared_ptr<RepositoryState>> make_state(const std::string& path,
                                                    std::shared_ptr<GitDir> dir) {
  auto state = std::make_shared<RepositoryState>();
  state->path = path;
  state->git_dir = dir;
  state->store = std::make_unique<ObjectStore>(make_pack_backend(dir));
  state->events = std::make_shared<EventBus>();
  state->view_refresh = std::make_shared<ViewRefresh>(state->events, *state->store, state->views);
  GITSTATE_ASSIGN_OR_RETURN(auto name, dir->config_get("user.name"));
  GITSTATE_ASSIGN_OR_RETURN(auto email, dir->config_get("user.email"));
  bool usable =
      name && email && !name->empty() && parse_identity(*name + " <" + *email + ">", 0).is_ok();
  state->identity_name = usable ? *name : kDefaultName;
  state->identity_email = usable ? *email : kDefaultEmail;
  GITSTATE_ASSIGN_OR_RETURN(auto key_path, dir->config_get("gitstate.signingKey"));
  if (key_path && !key_path->empty()) {
    auto key = SshSigningKey::load_file(config_path(*state, *key_path));
    if (key.is_ok())
      state->configured_key = *key;
    else
      state->configured_key_error = key.status().with_context("gitstate.signingKey");
  }
  return state;
}

// The root commit of a new repository: the empty state.
Status write_root_commit(RepositoryState& state, const std::string& branch,
                         const InitOptions& options) {
  Oid tree = state.store->write_tree({});
  Signature author = options.author.value_or(
      Signature{state.identity_name, state.identity_email, now_seconds(), 0});
  CommitData commit{tree, {}, author, author, "Initialize state\n", std::nullopt};
  GITSTATE_RETURN_IF_ERROR(sign_if_keyed(commit, options.signing_key));
  Oid id = state.store->write(ObjectType::kCommit, encode_commit(commit));
  GITSTATE_RETURN_IF_ERROR(state.store->flush(true));
  return update_ref(*state.git_dir, branch_ref(branch), id, std::nullopt, "gitstate: init");
}
}  // namespace

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string config_path(const RepositoryState& state, const std::string& value) {
  if (value.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    return std::string(home ? home : "") + value.substr(1);
  }
  if (!value.empty() && value[0] == '/') return value;
  return state.git_dir->path() + "/" + value;
}

Status sign_if_keyed(CommitData& commit, const std::shared_ptr<const SshSigningKey>& key) {
  if (!key) return Status::ok();
  return sign_commit(commit, *key);
}

std::string branch_ref(std::string_view branch) { return "refs/heads/" + std::string(branch); }

std::string short_id(const Oid& id) { return id.hex().substr(0, 12); }

Result<std::string> branch_or_current(RepositoryState& state, std::string_view branch) {
  if (branch.empty()) return head_branch(*state.git_dir);
  GITSTATE_RETURN_IF_ERROR(check_ref_name(branch, "branch"));
  return std::string(branch);
}

Status check_ref_name(std::string_view name, std::string_view what) {
  if (is_valid_ref_name(name)) return Status::ok();
  // Built by appending: GCC 12 at -O3 misreports "'" + std::string as overlapping (-Wrestrict).
  std::string message = "'";
  message.append(name).append("' is not a valid ").append(what).append(" name");
  return invalid(message);
}

Result<std::optional<Oid>> branch_head(RepositoryState& state, const std::string& branch) {
  return read_ref(*state.git_dir, branch_ref(branch));
}

Result<CommitData> read_commit(ObjectStore& store, const Oid& id) {
  auto object = store.read(id);
  if (!object.is_ok()) {
    if (object.status().code() == Code::kNotFound)
      return not_found("commit " + id.hex() + " does not exist");
    return object.status();
  }
  if (object->type != ObjectType::kCommit)
    return corrupt("object " + id.hex() + " is a " + object_type_name(object->type) +
                   ", not a commit");
  auto commit = parse_commit(object->data);
  if (!commit.is_ok()) return commit.status().with_context("commit " + id.hex());
  return commit;
}

Result<Oid> commit_to_ref(RepositoryState& state, const std::string& ref, const CommitData& commit,
                          const std::optional<Oid>& expected, const std::string& reflog) {
  Oid id = state.store->write(ObjectType::kCommit, encode_commit(commit));
  GITSTATE_RETURN_IF_ERROR(state.store->flush(false));
  GITSTATE_RETURN_IF_ERROR(update_ref(*state.git_dir, ref, id, expected, reflog));
  return id;
}

Result<Oid> tree_of(ObjectStore& store, const std::optional<Oid>& id) {
  if (!id) return store.write_tree({});
  GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, *id));
  return commit.tree;
}

Result<Repository> Repository::init(const std::string& path, const InitOptions& options) {
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<GitDir> dir, GitDir::init(path));
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<RepositoryState> state, make_state(path, dir));
  GITSTATE_ASSIGN_OR_RETURN(std::string branch, head_branch(*dir));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(*state, branch));
  if (!head) GITSTATE_RETURN_IF_ERROR(write_root_commit(*state, branch, options));
  return Repository(std::move(state));
}

Result<Repository> Repository::open(const std::string& path) {
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<GitDir> dir, GitDir::open(path));
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<RepositoryState> state, make_state(path, dir));
  return Repository(std::move(state));
}

const std::string& Repository::path() const { return state_->path; }

Result<Oid> Repository::resolve(std::string_view rev) const { return resolve_revision(*this, rev); }

Result<Oid> Repository::state_tree(std::string_view rev) const {
  if (rev.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(std::string branch, current_branch());
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(*state_, branch));
    GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(*state_->store, head));
    return seen_tree(*this, tree);
  }
  GITSTATE_ASSIGN_OR_RETURN(Oid commit, resolve(rev));
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(*state_->store, commit));
  return seen_tree(*this, tree);
}

Result<nlohmann::json> Repository::get(std::string_view pointer, std::string_view rev) const {
  auto path = parse_pointer(pointer);
  if (!path.is_ok()) return path.status().with_context("path '" + std::string(pointer) + "'");
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, state_tree(rev));
  auto value = read_path(*state_->store, tree, *path);
  if (!value.is_ok() && value.status().code() == Code::kNotFound)
    return not_found(std::string(pointer.empty() ? "/" : pointer) + " does not exist at " +
                     (rev.empty() ? "the current branch" : std::string(rev)));
  return value;
}

Result<Transaction> Repository::begin(std::string_view branch) const {
  GITSTATE_ASSIGN_OR_RETURN(std::string name, branch_or_current(*state_, branch));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(*state_, name));
  if (!head) {
    GITSTATE_ASSIGN_OR_RETURN(std::string current, current_branch());
    if (current != name) return not_found("branch '" + name + "' does not exist");
  }
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(*state_->store, head));
  return Transaction(std::make_unique<TransactionState>(*this, name, head, tree, nullptr));
}

Repository Repository::signing_with(std::shared_ptr<const SshSigningKey> key) const {
  return Repository(state_, perspective_, std::move(key));
}

Result<std::shared_ptr<const SshSigningKey>> Repository::signing_key() const {
  if (signer_) return *signer_;
  if (!state_->configured_key_error.is_ok()) return state_->configured_key_error;
  return state_->configured_key;
}

Result<std::string> Repository::current_branch() const { return head_branch(*state_->git_dir); }

Signature Repository::default_identity() const {
  return Signature{state_->identity_name, state_->identity_email, now_seconds(), 0};
}

ObjectStore& Repository::objects() const { return *state_->store; }

std::shared_ptr<GitDir> Repository::git_dir() const { return state_->git_dir; }

}  // namespace gitstate
