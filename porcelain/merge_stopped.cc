#include <algorithm>
#include <map>

#include "gitstate/plumbing/refs.h"
#include "merge_internal.h"
#include "perspective_internal.h"

namespace gitstate {

namespace {
Result<StoppedRecord> require_stopped(RepositoryState& state, const std::string& branch) {
  GITSTATE_ASSIGN_OR_RETURN(std::optional<StoppedRecord> record, read_stopped(state, branch));
  if (!record) return not_found("no merge is stopped on branch '" + branch + "'");
  return std::move(*record);
}

std::vector<Conflict> open_conflicts(const StoppedRecord& record) {
  std::vector<Conflict> open;
  for (const Conflict& conflict : record.conflicts) {
    bool settled = std::any_of(record.settled.begin(), record.settled.end(),
                               [&](const Settlement& s) { return s.path == conflict.path; });
    if (!settled) open.push_back(conflict);
  }
  return open;
}

std::string list_paths(const std::vector<Conflict>& conflicts) {
  std::string out;
  for (const Conflict& conflict : conflicts)
    out += (out.empty() ? "" : ", ") + format_pointer(conflict.path);
  return out;
}

// The merge options that redo the stopped merge with its settlements first.
Result<MergeOptions> settled_options(RepositoryState& state, const StoppedRecord& record) {
  GITSTATE_ASSIGN_OR_RETURN(MergeOptions options, configured_merge_options(*state.git_dir));
  std::vector<MergeRule> rules;
  auto values = std::make_shared<std::map<Path, nlohmann::json>>();
  for (const Settlement& s : record.settled) {
    if (s.with == Settle::kValue) {
      (*values)[s.path] = s.value;
      continue;
    }
    GITSTATE_ASSIGN_OR_RETURN(PointerGlob exact, PointerGlob::parse(format_pointer(s.path)));
    rules.push_back(
        MergeRule{exact, s.with == Settle::kOurs ? MergeStrategy::kOurs : MergeStrategy::kTheirs});
  }
  rules.insert(rules.end(), options.rules.begin(), options.rules.end());
  options.rules = std::move(rules);
  options.resolver = [values](const Path& path, const auto&, const auto&,
                              const auto&) -> std::optional<nlohmann::json> {
    auto it = values->find(path);
    if (it == values->end()) return std::nullopt;
    return it->second;
  };
  options.strategy = MergeStrategy::kReport;
  return options;
}
}  // namespace

Status refuse_if_stopped(RepositoryState& state, const std::string& branch) {
  GITSTATE_ASSIGN_OR_RETURN(std::optional<StoppedRecord> record, read_stopped(state, branch));
  if (!record) return Status::ok();
  return Status(Code::kConflict, "a " + record->plan.operation + " of " +
                                     short_id(record->plan.source) + " is stopped on branch '" +
                                     branch +
                                     "': settle its conflicts and continue it, or abort it");
}

Result<StoppedMerge> stopped_merge(const Repository& repo, std::string_view branch) {
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(std::string name, branch_or_current(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(StoppedRecord record, require_stopped(state, name));
  const MergePlan& plan = record.plan;
  return StoppedMerge{plan.operation,         plan.branch,   plan.head, plan.source, plan.message,
                      open_conflicts(record), record.settled};
}

Status resolve_conflict(const Repository& repo, std::string_view branch, std::string_view pointer,
                        Settle with, const nlohmann::json& value) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "resolving a conflict"));
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(Path path, parse_pointer(pointer));
  GITSTATE_ASSIGN_OR_RETURN(std::string name, branch_or_current(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(StoppedRecord record, require_stopped(state, name));
  std::vector<Conflict> open = open_conflicts(record);
  bool found = std::any_of(open.begin(), open.end(),
                           [&](const Conflict& conflict) { return conflict.path == path; });
  if (!found)
    return not_found("no open conflict at " + std::string(pointer) + " on branch '" + name + "'" +
                     (open.empty() ? "" : " (open: " + list_paths(open) + ")"));
  record.settled.push_back(Settlement{path, with, with == Settle::kValue ? value : nullptr});
  return write_stopped(state, record, record.id, repo.default_identity()).status();
}

Result<Oid> continue_merge(const Repository& repo, std::string_view branch,
                           const std::optional<Signature>& author) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "continuing a merge"));
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(std::string name, branch_or_current(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(StoppedRecord record, require_stopped(state, name));
  const MergePlan& plan = record.plan;
  std::vector<Conflict> open = open_conflicts(record);
  if (!open.empty())
    return Status(Code::kConflict, std::to_string(open.size()) + " conflict" +
                                       (open.size() == 1 ? "" : "s") + " of the " + plan.operation +
                                       " on branch '" + name + "' still open: " + list_paths(open) +
                                       " (settle each with resolve)");
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, name));
  if (head != plan.head)
    return Status(Code::kModified, "branch '" + name + "' moved from " + short_id(plan.head) +
                                       " since the " + plan.operation +
                                       " stopped; abort it and start again");
  GITSTATE_ASSIGN_OR_RETURN(MergeOptions options, settled_options(state, record));
  GITSTATE_ASSIGN_OR_RETURN(Oid ours, tree_of(*state.store, plan.head));
  GITSTATE_ASSIGN_OR_RETURN(MergeResult result,
                            merge_trees(*state.store, plan.base, ours, plan.theirs, options));
  if (!result.clean)
    return Status(Code::kConflict, "the " + plan.operation + " on branch '" + name +
                                       "' still conflicts at " + list_paths(result.conflicts) +
                                       " (did the merge rules change?)");
  GITSTATE_ASSIGN_OR_RETURN(
      Oid id, commit_plan(repo, plan, result.tree, author.value_or(repo.default_identity())));
  GITSTATE_RETURN_IF_ERROR(delete_ref(*state.git_dir, stopped_ref(name), record.id));
  return id;
}

Status abort_merge(const Repository& repo, std::string_view branch) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "aborting a merge"));
  RepositoryState& state = state_of(repo);
  GITSTATE_ASSIGN_OR_RETURN(std::string name, branch_or_current(state, branch));
  GITSTATE_ASSIGN_OR_RETURN(StoppedRecord record, require_stopped(state, name));
  return delete_ref(*state.git_dir, stopped_ref(name), record.id);
}

}  // namespace gitstate
