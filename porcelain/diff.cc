#include "gitstate/history.h"
#include "gitstate/plumbing/tree_diff.h"
#include "history_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "working_state_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

// A patch between two values at `path` inside an array blob (or missing).
json value_patch(const Path& path, const std::optional<json>& before,
                 const std::optional<json>& after) {
  std::string pointer = format_pointer(path);
  if (before == after) return json::array();
  if (!before) return json::array({{{"op", "add"}, {"path", pointer}, {"value", *after}}});
  if (!after) return json::array({{{"op", "remove"}, {"path", pointer}}});
  json patch = json::diff(*before, *after);
  for (json& op : patch) {
    op["path"] = pointer + op["path"].get<std::string>();
    if (op.contains("from")) op["from"] = pointer + op["from"].get<std::string>();
  }
  return patch;
}

Result<json> diff_states(ObjectStore& store, const Oid& old_tree, const Oid& new_tree,
                         const Path& path) {
  GITSTATE_ASSIGN_OR_RETURN(Location before, locate(store, old_tree, path));
  GITSTATE_ASSIGN_OR_RETURN(Location after, locate(store, new_tree, path));
  if (before.kind == Location::Kind::kInsideBlob || after.kind == Location::Kind::kInsideBlob) {
    GITSTATE_ASSIGN_OR_RETURN(auto old_value, value_if_present(store, old_tree, path));
    GITSTATE_ASSIGN_OR_RETURN(auto new_value, value_if_present(store, new_tree, path));
    return value_patch(path, old_value, new_value);
  }
  DiffOptions options;
  options.under = path;
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                            diff_trees(store, old_tree, new_tree, options));
  return to_json_patch(changes);
}
}  // namespace

Result<ShowResult> show(const Repository& repo, std::string_view rev) {
  ObjectStore& store = repo.objects();
  GITSTATE_ASSIGN_OR_RETURN(Oid id, repo.resolve(rev));
  ShowResult result;
  GITSTATE_ASSIGN_OR_RETURN(result.commit, read_commit_info(repo, id));
  GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, first_parent_tree(repo, result.commit));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                            diff_trees(store, parent_tree, result.commit.tree));
  result.patch = to_json_patch(changes);
  return result;
}

Result<json> diff(const Repository& repo, std::string_view from, std::string_view to,
                  std::string_view path) {
  GITSTATE_ASSIGN_OR_RETURN(Path where, parse_user_pointer(path));
  GITSTATE_ASSIGN_OR_RETURN(Oid old_tree, repo.state_tree(from));
  GITSTATE_ASSIGN_OR_RETURN(Oid new_tree, repo.state_tree(to));
  return diff_states(repo.objects(), old_tree, new_tree, where);
}

}  // namespace gitstate
