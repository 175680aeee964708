#include "history_internal.h"
#include "message_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "working_state_internal.h"

namespace gitstate {

CommitInfo make_commit_info(const Oid& id, const CommitData& commit) {
  ParsedMessage parsed = parse_message(commit.message);
  CommitInfo info;
  info.id = id;
  info.tree = commit.tree;
  info.parents = commit.parents;
  info.author = commit.author;
  info.committer = commit.committer;
  info.message = std::move(parsed.body);
  info.tags = std::move(parsed.tags);
  info.trailers = std::move(parsed.trailers);
  return info;
}

Result<std::optional<nlohmann::json>> value_if_present(ObjectStore& store, const Oid& tree,
                                                       const Path& path) {
  GITSTATE_ASSIGN_OR_RETURN(Location location, locate(store, tree, path));
  if (location.kind == Location::Kind::kMissing) return std::optional<nlohmann::json>();
  auto value = read_path(store, tree, path);
  if (!value.is_ok()) {
    if (value.status().code() == Code::kNotFound) return std::optional<nlohmann::json>();
    return value.status();
  }
  return std::optional<nlohmann::json>(std::move(value).value());
}

Result<bool> path_changed(ObjectStore& store, const Oid& old_tree, const Oid& new_tree,
                          const Path& path) {
  if (old_tree == new_tree) return false;
  GITSTATE_ASSIGN_OR_RETURN(Location before, locate(store, old_tree, path));
  GITSTATE_ASSIGN_OR_RETURN(Location after, locate(store, new_tree, path));
  using Kind = Location::Kind;
  bool before_missing = before.kind == Kind::kMissing, after_missing = after.kind == Kind::kMissing;
  if (before_missing || after_missing) return before_missing != after_missing;
  if (before.kind != Kind::kInsideBlob && after.kind != Kind::kInsideBlob)
    return before.node != after.node;
  if (before.kind == after.kind && before.depth == after.depth && before.node == after.node)
    return false;
  GITSTATE_ASSIGN_OR_RETURN(auto old_value, value_if_present(store, old_tree, path));
  GITSTATE_ASSIGN_OR_RETURN(auto new_value, value_if_present(store, new_tree, path));
  return old_value != new_value;
}

Result<Oid> first_parent_tree(const Repository& repo, const CommitInfo& commit) {
  std::optional<Oid> parent;
  if (!commit.parents.empty()) parent = commit.parents.front();
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(repo.objects(), parent));
  return seen_tree(repo, tree);
}

Result<Path> parse_user_pointer(std::string_view pointer) {
  auto path = parse_pointer(pointer);
  if (!path.is_ok()) return path.status().with_context("path '" + std::string(pointer) + "'");
  return path;
}

Result<CommitInfo> read_commit_info(const Repository& repo, const Oid& id) {
  GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(repo.objects(), id));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<CommitInfo> seen, seen_commit(repo, id, commit));
  if (!seen) return not_found("commit " + id.hex() + " does not exist");
  return std::move(*seen);
}

}  // namespace gitstate
