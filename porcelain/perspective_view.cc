#include "gitstate/perspective.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/view_cache.h"
#include "history_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "view_refresh_internal.h"

namespace gitstate {

Result<Oid> view_tree(const Repository& repo, const Oid& state_tree,
                      const ResolvedPerspective& perspective, bool mark_hidden) {
  RepositoryState& state = state_of(repo);
  if (perspective.filter.mark_hidden == mark_hidden) {
    state.view_refresh->follow(perspective);
    return cached_view(*state.store, state.views, state_tree, perspective);
  }
  ResolvedPerspective marked = perspective;
  marked.filter.mark_hidden = mark_hidden;
  state.view_refresh->follow(marked);
  return cached_view(*state.store, state.views, state_tree, marked);
}

ViewCache::Stats view_cache_stats(const Repository& repo) { return state_of(repo).views.stats(); }

Result<nlohmann::json> view_delta(const Repository& repo, const Oid& old_tree, const Oid& new_tree,
                                  const ResolvedPerspective& perspective) {
  GITSTATE_ASSIGN_OR_RETURN(Oid old_view, view_tree(repo, old_tree, perspective));
  GITSTATE_ASSIGN_OR_RETURN(Oid new_view, view_tree(repo, new_tree, perspective));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                            diff_trees(repo.objects(), old_view, new_view));
  return to_json_patch(changes);
}

Result<nlohmann::json> read_view(const Repository& repo, std::string_view rev, bool mark_hidden) {
  const ResolvedPerspective* perspective = repo.perspective();
  if (!perspective) return invalid("read_view needs a handle bound to a perspective");
  Oid tree;
  if (rev.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(tree, unbound(repo).state_tree());
  } else {
    GITSTATE_ASSIGN_OR_RETURN(Oid commit, repo.resolve(rev));
    GITSTATE_ASSIGN_OR_RETURN(tree, tree_of(repo.objects(), commit));
  }
  GITSTATE_ASSIGN_OR_RETURN(Oid view, view_tree(repo, tree, *perspective, mark_hidden));
  return read_path(repo.objects(), view, Path{});
}

Result<Oid> seen_tree(const Repository& repo, const Oid& tree) {
  if (!repo.perspective()) return tree;
  return view_tree(repo, tree, *repo.perspective());
}

Result<bool> commit_visible(const Repository& repo, const CommitData& commit) {
  if (!repo.perspective() || commit.parents.empty()) return true;
  ObjectStore& store = repo.objects();
  GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, tree_of(store, commit.parents.front()));
  GITSTATE_ASSIGN_OR_RETURN(Oid before, seen_tree(repo, parent_tree));
  GITSTATE_ASSIGN_OR_RETURN(Oid after, seen_tree(repo, commit.tree));
  return before != after;
}

Result<Oid> visible_commit(const Repository& repo, Oid id) {
  if (!repo.perspective()) return id;
  while (true) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(repo.objects(), id));
    GITSTATE_ASSIGN_OR_RETURN(bool visible, commit_visible(repo, commit));
    if (visible) return id;
    id = commit.parents.front();
  }
}

Result<std::optional<CommitInfo>> seen_commit(const Repository& repo, const Oid& id,
                                              const CommitData& commit) {
  CommitInfo info = make_commit_info(id, commit);
  if (!repo.perspective()) return std::optional<CommitInfo>(std::move(info));
  GITSTATE_ASSIGN_OR_RETURN(bool visible, commit_visible(repo, commit));
  if (!visible) return std::optional<CommitInfo>();
  GITSTATE_ASSIGN_OR_RETURN(info.tree, seen_tree(repo, commit.tree));
  for (Oid& parent : info.parents) {
    GITSTATE_ASSIGN_OR_RETURN(parent, visible_commit(repo, parent));
  }
  return std::optional<CommitInfo>(std::move(info));
}

Repository unbound(const Repository& repo) { return Repository(repo.state()); }

Status refuse_bound(const Repository& repo, std::string_view what) {
  if (!repo.perspective()) return Status::ok();
  return Status(Code::kPermissionDenied, std::string(what) +
                                             " is not possible through perspective '" +
                                             repo.perspective()->name + "'");
}

}  // namespace gitstate
