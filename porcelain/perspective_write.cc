#include "perspective_write_internal.h"

#include "gitstate/plumbing/perspective_def.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/tree_filter.h"
#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

// The path to name when `op` was refused for touching `leaf`.
std::string refused_path(const Operation& op, const Path& leaf) {
  Path named = op.path;
  if (op.kind == Operation::Kind::kMergePatch) {
    const json* doc = &op.value;
    for (const std::string& token : leaf) {
      if (!doc->is_object() || !doc->contains(token)) break;
      named.push_back(token);
      doc = &(*doc)[token];
    }
  }
  std::string text = format_pointer(named);
  return text.empty() ? "/" : text;
}

Status denied(const Operation& op, const Path& leaf) {
  return Status(Code::kPermissionDenied, refused_path(op, leaf) + " is outside this perspective");
}

// The first leaf of `value` at `path` that is not visible.
std::optional<Path> hidden_leaf(const Filter& filter, Path& path, const json& value) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, member] : value.items()) {
      path.push_back(key);
      std::optional<Path> hit = hidden_leaf(filter, path, member);
      path.pop_back();
      if (hit) return hit;
    }
    return std::nullopt;
  }
  if (path_visible(filter, path)) return std::nullopt;
  return path;
}

// The first leaf changed between two full states that is not visible.
Result<std::optional<Path>> hidden_change(ObjectStore& store, const Filter& filter,
                                          const Oid& before, const Oid& after) {
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Change> changes, diff_trees(store, before, after));
  for (const Change& change : changes) {
    for (const auto& value : {change.old_value, change.new_value}) {
      if (!value) continue;
      Path path = change.path;
      if (std::optional<Path> hit = hidden_leaf(filter, path, *value)) return hit;
    }
  }
  return std::optional<Path>();
}

Status check_targets(const Filter& filter, const Operation& op) {
  if (op.kind == Operation::Kind::kMergePatch) return Status::ok();
  if (!path_may_hold_visible(filter, op.path)) return denied(op, op.path);
  bool reads_from = op.kind == Operation::Kind::kMove || op.kind == Operation::Kind::kCopy;
  if (reads_from && !path_may_hold_visible(filter, op.from)) return denied(op, op.from);
  return Status::ok();
}

Result<WorkingState*> view_of(TransactionState& s) {
  if (!s.view) {
    GITSTATE_ASSIGN_OR_RETURN(Oid tree, seen_tree(s.repo, s.working.root()));
    s.view.emplace(s.repo.objects(), tree);
  }
  return &*s.view;
}
}  // namespace

Status apply_through(TransactionState& s, const Operation& op) {
  const Filter& filter = s.repo.perspective()->filter;
  GITSTATE_RETURN_IF_ERROR(check_targets(filter, op));
  GITSTATE_ASSIGN_OR_RETURN(WorkingState * view, view_of(s));
  GITSTATE_RETURN_IF_ERROR(view->apply(op));
  Oid before = s.working.root();
  if (!s.working.apply(op).is_ok()) return denied(op, op.path);
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Path> hidden,
                            hidden_change(s.repo.objects(), filter, before, s.working.root()));
  if (hidden) return denied(op, *hidden);
  GITSTATE_ASSIGN_OR_RETURN(Oid full_view, seen_tree(s.repo, s.working.root()));
  GITSTATE_ASSIGN_OR_RETURN(Oid own_view, seen_tree(s.repo, view->root()));
  if (full_view != own_view) return denied(op, Path{});
  return Status::ok();
}

Result<json> read_through(TransactionState& s, const Path& path) {
  GITSTATE_ASSIGN_OR_RETURN(WorkingState * view, view_of(s));
  static_cast<void>(s.working.read(path));
  return view->read(path);
}

}  // namespace gitstate
