#include "received_check.h"

#include <string>
#include <unordered_set>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/object.h"

namespace gitstate {

namespace {
class Checker {
 public:
  explicit Checker(ObjectStore& store) : store_(store) {}

  Status commit(const Oid& id) {
    GITSTATE_ASSIGN_OR_RETURN(Object object, read(id, "commit"));
    if (object.type != ObjectType::kCommit)
      return corrupt("object " + id.hex() + " is a " + object_type_name(object.type) +
                     " where a commit belongs");
    auto parsed = parse_commit(object.data);
    if (!parsed.is_ok()) return corrupt("commit " + id.hex() + ": " + parsed.status().message());
    return tree(parsed->tree, 0).with_context("commit " + id.hex());
  }

 private:
  Result<Object> read(const Oid& id, const char* what) {
    auto object = store_.read(id);
    if (object.status().code() == Code::kNotFound)
      return corrupt(std::string(what) + " " + id.hex() +
                     " is missing (the remote sent an incomplete history)");
    return object;
  }

  Status tree(const Oid& id, size_t depth) {
    if (!seen_.insert(id).second) return Status::ok();
    if (depth + 1 > kMaxDepth)
      return corrupt("tree " + id.hex() + " nests deeper than " + std::to_string(kMaxDepth) +
                     " levels");
    GITSTATE_RETURN_IF_ERROR(read(id, "tree").status());
    Status members = for_each_member(store_, id, [&](const std::string& key, const Node& node) {
      if (escape_key(key).size() > kMaxKeyBytes)
        return corrupt("tree " + id.hex() + " has an entry name over " +
                       std::to_string(kMaxKeyBytes) + " bytes");
      return node.is_tree() ? tree(node.oid, depth + 1) : blob(node.oid);
    });
    if (members.is_ok()) return members;
    return corrupt("tree " + id.hex() + ": " + members.message());
  }

  Status blob(const Oid& id) {
    if (!seen_.insert(id).second) return Status::ok();
    GITSTATE_RETURN_IF_ERROR(read(id, "blob").status());
    auto value = read_value(store_, Node{kModeBlob, id});
    if (value.is_ok()) return Status::ok();
    if (value.status().code() == Code::kCorrupt) return value.status();
    return corrupt("blob " + id.hex() + ": " + value.status().message());
  }

  ObjectStore& store_;
  std::unordered_set<Oid, OidHash> seen_;
};
}  // namespace

Status check_received_commits(ObjectStore& store, const std::vector<Oid>& commits) {
  Checker checker(store);
  for (const Oid& id : commits) GITSTATE_RETURN_IF_ERROR(checker.commit(id));
  return Status::ok();
}

}  // namespace gitstate
