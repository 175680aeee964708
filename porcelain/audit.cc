#include "gitstate/audit.h"

#include <map>

#include "gitstate/plumbing/tree_diff.h"
#include "history_internal.h"

namespace gitstate {

namespace {
using json = nlohmann::json;
using Leaves = std::map<Path, json>;  // ordered by tokens, as diff_trees orders changes

// The leaves of `value` at `path`: itself unless it is a non-empty object.
void collect_leaves(const json& value, Path& path, Leaves& leaves) {
  if (!value.is_object() || value.empty()) {
    leaves.emplace(path, value);
    return;
  }
  for (const auto& [key, member] : value.items()) {
    path.push_back(key);
    collect_leaves(member, path, leaves);
    path.pop_back();
  }
}

Leaves leaves_of(const std::optional<json>& value, Path path) {
  Leaves leaves;
  if (value) collect_leaves(*value, path, leaves);
  return leaves;
}

// One record per leaf that differs between the two sides of `change`, in
// path order; false when `visit` asked to stop.
bool visit_leaf_changes(const Change& change, const CommitInfo& commit,
                        const SignatureCheck& signature,
                        const std::function<bool(const AuditRecord&)>& visit) {
  Leaves before = leaves_of(change.old_value, change.path);
  Leaves after = leaves_of(change.new_value, change.path);
  auto old_it = before.begin();
  auto new_it = after.begin();
  while (old_it != before.end() || new_it != after.end()) {
    bool take_old =
        new_it == after.end() || (old_it != before.end() && old_it->first <= new_it->first);
    bool take_new =
        old_it == before.end() || (new_it != after.end() && new_it->first <= old_it->first);
    const Path& path = take_old ? old_it->first : new_it->first;
    AuditRecord record{commit, signature, format_pointer(path), std::nullopt, std::nullopt};
    if (take_old) record.old_value = (old_it++)->second;
    if (take_new) record.new_value = (new_it++)->second;
    if (record.old_value != record.new_value && !visit(record)) return false;
  }
  return true;
}
}  // namespace

Status walk_audit(const Repository& repo, const AuditOptions& options,
                  const std::function<bool(const AuditRecord&)>& visit) {
  DiffOptions diff_options;
  if (!options.path.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(diff_options.under, parse_user_pointer(options.path));
  }
  GITSTATE_ASSIGN_OR_RETURN(std::optional<AllowedSigners> signers,
                            load_allowed_signers(repo, options.allowed_signers));
  LogOptions log_options;
  log_options.rev = options.rev;
  log_options.path = options.path;
  log_options.since = options.since;
  log_options.until = options.until;
  log_options.first_parent = options.first_parent;
  Status failure;
  Status walked = walk_log(repo, log_options, [&](const CommitInfo& commit) {
    auto signature = read_commit_signature(repo, commit.id, signers ? &*signers : nullptr);
    auto parent_tree = first_parent_tree(repo, commit);
    if (!signature.is_ok() || !parent_tree.is_ok()) {
      failure = signature.is_ok() ? parent_tree.status() : signature.status();
      return false;
    }
    auto changes = diff_trees(repo.objects(), *parent_tree, commit.tree, diff_options);
    if (!changes.is_ok()) {
      failure = changes.status();
      return false;
    }
    for (const Change& change : *changes)
      if (!visit_leaf_changes(change, commit, *signature, visit)) return false;
    return true;
  });
  GITSTATE_RETURN_IF_ERROR(walked);
  return failure;
}

}  // namespace gitstate
