// StagingBackend: a merge's writes, kept apart until the merge succeeds.
#include "tree_merge_internal.h"

namespace gitstate::merge_internal {

Result<Object> StagingBackend::read(const Oid& id) {
  auto it = written_.find(id);
  if (it != written_.end()) return it->second;
  return below_.read(id);
}

bool StagingBackend::contains(const Oid& id) {
  return written_.count(id) != 0 || below_.contains(id);
}

void StagingBackend::write(const Oid& id, ObjectType type, std::string data) {
  written_.try_emplace(id, Object{type, std::move(data)});
}

Status StagingBackend::publish(const Oid& root) {
  auto it = written_.find(root);
  if (it == written_.end()) return Status::ok();  // below already, or published
  if (below_.contains(root)) {                    // and so is everything it refers to
    written_.erase(it);
    return Status::ok();
  }
  Object object = std::move(it->second);
  written_.erase(it);
  if (object.type == ObjectType::kTree) {
    GITSTATE_ASSIGN_OR_RETURN(std::vector<TreeEntry> entries, parse_tree(object.data));
    for (const TreeEntry& entry : entries) GITSTATE_RETURN_IF_ERROR(publish(entry.oid));
  }
  below_.write(object.type, std::move(object.data));
  return Status::ok();
}

}  // namespace gitstate::merge_internal
