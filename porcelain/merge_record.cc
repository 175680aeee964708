#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/refs.h"
#include "merge_internal.h"

namespace gitstate {

namespace {
constexpr char kRecordFile[] = "merge.json";
constexpr char kBaseTree[] = "base";
constexpr char kTheirsTree[] = "theirs";

const char* settle_name(Settle with) {
  switch (with) {
    case Settle::kOurs:
      return "ours";
    case Settle::kTheirs:
      return "theirs";
    case Settle::kValue:
      return "value";
  }
  return "ours";
}

nlohmann::json record_json(const StoppedRecord& record) {
  const MergePlan& plan = record.plan;
  nlohmann::json bases = nlohmann::json::array();
  for (const Oid& base : plan.bases) bases.push_back(base.hex());
  nlohmann::json conflicts = nlohmann::json::array();
  for (const Conflict& conflict : record.conflicts) conflicts.push_back(conflict_json(conflict));
  nlohmann::json settled = nlohmann::json::array();
  for (const Settlement& s : record.settled) {
    nlohmann::json one = {{"path", format_pointer(s.path)}, {"with", settle_name(s.with)}};
    if (s.with == Settle::kValue) one["value"] = s.value;
    settled.push_back(one);
  }
  return {{"operation", plan.operation},
          {"branch", plan.branch},
          {"head", plan.head.hex()},
          {"source", plan.source.hex()},
          {"merge_commit", plan.merge_commit},
          {"message", plan.message},
          {"bases", bases},
          {"conflicts", conflicts},
          {"settled", settled}};
}

Status corrupt(const Oid& id, const std::string& what) {
  return Status(Code::kCorrupt, "merge record " + short_id(id) + ": " + what);
}

Result<Oid> hex_member(const nlohmann::json& doc, const char* name, const Oid& id) {
  if (!doc.contains(name) || !doc[name].is_string()) return corrupt(id, std::string("no ") + name);
  auto oid = Oid::from_hex(doc[name].get<std::string>());
  if (!oid.is_ok()) return corrupt(id, std::string("bad ") + name);
  return *oid;
}

Result<Path> path_member(const nlohmann::json& item, const Oid& id) {
  if (!item.is_object() || !item.contains("path") || !item["path"].is_string())
    return corrupt(id, "an entry without a path");
  auto path = parse_pointer(item["path"].get<std::string>());
  if (!path.is_ok()) return corrupt(id, path.status().message());
  return *path;
}

std::optional<nlohmann::json> side(const nlohmann::json& item, const char* name) {
  if (!item.contains(name)) return std::nullopt;
  return item[name];
}

Result<Settle> parse_settle(const nlohmann::json& item, const Oid& id) {
  std::string with = item.value("with", "");
  if (with == "ours") return Settle::kOurs;
  if (with == "theirs") return Settle::kTheirs;
  if (with == "value" && item.contains("value")) return Settle::kValue;
  return corrupt(id, "a settlement with an unknown choice");
}

// Fills `record` from the JSON document of record commit `id`.
Status parse_record(const nlohmann::json& doc, const Oid& id, StoppedRecord& record) {
  MergePlan& plan = record.plan;
  if (!doc.is_object()) return corrupt(id, "not an object");
  plan.operation = doc.value("operation", "");
  plan.branch = doc.value("branch", "");
  plan.message = doc.value("message", "");
  plan.merge_commit = doc.value("merge_commit", false);
  GITSTATE_ASSIGN_OR_RETURN(plan.head, hex_member(doc, "head", id));
  GITSTATE_ASSIGN_OR_RETURN(plan.source, hex_member(doc, "source", id));
  for (const auto& base : doc.value("bases", nlohmann::json::array())) {
    auto oid = Oid::from_hex(base.is_string() ? base.get<std::string>() : "");
    if (!oid.is_ok()) return corrupt(id, "bad bases");
    plan.bases.push_back(*oid);
  }
  for (const auto& item : doc.value("conflicts", nlohmann::json::array())) {
    GITSTATE_ASSIGN_OR_RETURN(Path path, path_member(item, id));
    record.conflicts.push_back(
        Conflict{path, side(item, "base"), side(item, "ours"), side(item, "theirs")});
  }
  for (const auto& item : doc.value("settled", nlohmann::json::array())) {
    GITSTATE_ASSIGN_OR_RETURN(Path path, path_member(item, id));
    GITSTATE_ASSIGN_OR_RETURN(Settle with, parse_settle(item, id));
    record.settled.push_back(Settlement{path, with, item.value("value", nlohmann::json())});
  }
  record.id = id;
  return Status::ok();
}

Result<Oid> tree_entry(const std::vector<TreeEntry>& entries, const char* name, const Oid& id) {
  const TreeEntry* entry = find_entry(entries, name);
  if (!entry) return corrupt(id, std::string("no ") + name);
  return entry->oid;
}
}  // namespace

std::string stopped_ref(const std::string& branch) { return "refs/gitstate/merge/" + branch; }

Result<std::optional<StoppedRecord>> read_stopped(RepositoryState& state,
                                                  const std::string& branch) {
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> id, read_ref(*state.git_dir, stopped_ref(branch)));
  if (!id) return std::optional<StoppedRecord>();
  GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, *id));
  GITSTATE_ASSIGN_OR_RETURN(TreePtr entries, state.store->read_tree(commit.tree));
  GITSTATE_ASSIGN_OR_RETURN(Oid blob, tree_entry(*entries, kRecordFile, *id));
  GITSTATE_ASSIGN_OR_RETURN(Object object, state.store->read(blob));
  auto doc = nlohmann::json::parse(object.data, nullptr, false);
  StoppedRecord record;
  GITSTATE_RETURN_IF_ERROR(parse_record(doc, *id, record));
  GITSTATE_ASSIGN_OR_RETURN(record.plan.base, tree_entry(*entries, kBaseTree, *id));
  GITSTATE_ASSIGN_OR_RETURN(record.plan.theirs, tree_entry(*entries, kTheirsTree, *id));
  return std::optional<StoppedRecord>(std::move(record));
}

Result<Oid> write_stopped(RepositoryState& state, const StoppedRecord& record,
                          const std::optional<Oid>& expected, const Signature& who) {
  ObjectStore& store = *state.store;
  const MergePlan& plan = record.plan;
  Oid blob = store.write(ObjectType::kBlob, canonical_text(record_json(record)) + "\n");
  Oid tree = store.write_tree({TreeEntry{kRecordFile, kModeBlob, blob},
                               TreeEntry{kBaseTree, kModeTree, plan.base},
                               TreeEntry{kTheirsTree, kModeTree, plan.theirs}});
  std::vector<Oid> parents{plan.head};
  if (plan.source != plan.head) parents.push_back(plan.source);
  CommitData commit{tree,
                    parents,
                    who,
                    who,
                    "gitstate: " + plan.operation + " stopped on " + plan.branch + "\n",
                    std::nullopt};
  auto moved = commit_to_ref(state, stopped_ref(plan.branch), commit, expected,
                             "gitstate: " + plan.operation + " stopped");
  if (moved.status().code() == Code::kModified)
    return Status(Code::kModified, "the stopped " + plan.operation + " on '" + plan.branch +
                                       "' changed meanwhile; look at it again");
  return moved;
}

}  // namespace gitstate
