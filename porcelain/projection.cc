#include "gitstate/projection.h"

#include <algorithm>

#include "commit_engine_internal.h"
#include "gitstate/perspective.h"
#include "message_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
std::optional<std::string> trailer(const std::string& message, const std::string& key) {
  for (const auto& [name, value] : parse_message(message).trailers)
    if (name == key) return value;
  return std::nullopt;
}

// Where the target stands: its head and the source commit it was projected from.
struct TargetState {
  std::optional<Oid> head;
  std::optional<Oid> from;
};

Result<TargetState> read_target(RepositoryState& state, const std::string& target,
                                const std::string& projection) {
  TargetState out;
  GITSTATE_ASSIGN_OR_RETURN(out.head, branch_head(state, target));
  std::optional<Oid> id = out.head;
  while (id) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, *id));
    std::optional<std::string> from = trailer(commit.message, kProjectedFromTrailer);
    if (!from || trailer(commit.message, kProjectionTrailer) != projection)
      return Status(Code::kConflict, "branch '" + target + "' holds commit " + short_id(*id) +
                                         ", which is not a projection of this kind");
    if (id == out.head) {
      GITSTATE_ASSIGN_OR_RETURN(Oid source, Oid::from_hex(*from));
      out.from = source;
    }
    if (commit.parents.size() > 1)
      return Status(Code::kConflict, "branch '" + target + "' holds a merge commit");
    id = commit.parents.empty() ? std::nullopt : std::optional<Oid>(commit.parents.front());
  }
  return out;
}

// The first-parent history of `head`, oldest first.
Result<std::vector<Oid>> first_parent_history(ObjectStore& store, Oid head) {
  std::vector<Oid> ids{head};
  while (true) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, ids.back()));
    if (commit.parents.empty()) break;
    ids.push_back(commit.parents.front());
  }
  std::reverse(ids.begin(), ids.end());
  return ids;
}

std::string projected_message(const std::string& message, const Oid& source,
                              const std::string& projection) {
  std::string text = message;
  if (text.empty() || text.back() != '\n') text += '\n';
  if (parse_message(text).trailers.empty()) text += '\n';
  return text + kProjectedFromTrailer + ": " + source.hex() + "\n" + kProjectionTrailer + ": " +
         projection + "\n";
}
}  // namespace

Result<ProjectResult> project_history(const Repository& repo, const ProjectOptions& options) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "projecting history"));
  RepositoryState& state = state_of(repo);
  ObjectStore& store = *state.store;
  GITSTATE_ASSIGN_OR_RETURN(std::string branch, branch_or_current(state, options.branch));
  GITSTATE_RETURN_IF_ERROR(check_ref_name(options.target, "branch"));
  if (options.target == branch) return invalid("the target must be another branch than the source");
  GITSTATE_ASSIGN_OR_RETURN(ResolvedPerspective perspective,
                            resolve_stored_perspective(repo, options.perspective));
  std::string projection = perspective.name + " " + perspective.digest.hex() +
                           (options.mark_hidden ? " hidden-marked" : "");
  GITSTATE_ASSIGN_OR_RETURN(TargetState target, read_target(state, options.target, projection));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> source_head, branch_head(state, branch));
  if (!source_head) return not_found("branch '" + branch + "' has no commits");
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> history, first_parent_history(store, *source_head));

  size_t start = 0;
  std::optional<Oid> previous_view;
  if (target.from) {
    auto it = std::find(history.begin(), history.end(), *target.from);
    if (it == history.end())
      return Status(Code::kConflict, "branch '" + options.target + "' was projected from " +
                                         "a history that '" + branch + "' no longer contains");
    start = static_cast<size_t>(it - history.begin()) + 1;
    GITSTATE_ASSIGN_OR_RETURN(CommitData last, read_commit(store, *target.from));
    GITSTATE_ASSIGN_OR_RETURN(previous_view,
                              view_tree(repo, last.tree, perspective, options.mark_hidden));
  }
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<const SshSigningKey> signer, repo.signing_key());
  GITSTATE_ASSIGN_OR_RETURN(Oid target_tree, tree_of(store, target.head));
  Chain chain = start_chain(target.head, target_tree);
  for (size_t i = start; i < history.size(); ++i) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData source, read_commit(store, history[i]));
    GITSTATE_ASSIGN_OR_RETURN(Oid view,
                              view_tree(repo, source.tree, perspective, options.mark_hidden));
    if (i > 0 && previous_view == view) continue;
    previous_view = view;
    CommitRecipe recipe;
    recipe.message = projected_message(source.message, history[i], projection);
    recipe.author = source.author;
    recipe.committer = source.committer;
    recipe.signer = signer;
    GITSTATE_RETURN_IF_ERROR(append_commit(store, chain, recipe, view, {}));
  }
  ProjectResult result;
  result.created = chain.outcomes.size();
  if (chain.outcomes.empty()) {
    result.head = *target.head;
    return result;
  }
  auto refuse = [&](const Oid& now, Chain&) {
    return Status(Code::kModified, "branch '" + options.target + "' moved to " + short_id(now) +
                                       " during the projection; nothing changed, try again");
  };
  GITSTATE_ASSIGN_OR_RETURN(Chain landed,
                            publish_chain(state, options.target, std::move(chain), refuse));
  result.head = *landed.head;
  return result;
}

}  // namespace gitstate
