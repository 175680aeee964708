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

std::optional<Result<TreePtr>> StagingBackend::parsed_tree(const Oid& id) {
  if (written_.count(id) != 0) return std::nullopt;
  return below_.read_tree(id);
}

void StagingBackend::write(const Oid& id, ObjectType type, std::string data) {
  written_.try_emplace(id, Object{type, std::move(data)});
}

Status StagingBackend::publish(const Oid& root, ObjectStore& staged) {
  auto it = written_.find(root);
  if (it == written_.end()) return Status::ok();  // below already, or published
  if (below_.contains(root)) {                    // and so is everything it refers to
    written_.erase(it);
    return Status::ok();
  }
  TreePtr tree;
  if (it->second.type == ObjectType::kTree) {
    GITSTATE_ASSIGN_OR_RETURN(tree, staged.read_tree(root));
    for (const TreeEntry& entry : *tree) GITSTATE_RETURN_IF_ERROR(publish(entry.oid, staged));
    it = written_.find(root);
  }
  Object object = std::move(it->second);
  written_.erase(it);
  below_.write_hashed(root, object.type, std::move(object.data), std::move(tree));
  return Status::ok();
}

}  // namespace gitstate::merge_internal
