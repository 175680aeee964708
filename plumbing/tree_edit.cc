#include "gitstate/plumbing/tree_edit.h"

#include <map>
#include <memory>

#include "codec_internal.h"
#include "fanout_internal.h"

namespace gitstate {

namespace {
struct EditObject;

// The state of one member of an object under edit.
struct Slot {
  enum class Kind { kRemoved, kNode, kObject } kind = Kind::kRemoved;
  Node node;                           // kNode: the stored value
  std::unique_ptr<EditObject> object;  // kObject: an object with edits below
};

// An object on a touched path: its stored tree (none for an object the edits
// created) and the members the edits changed, by key.
struct EditObject {
  std::optional<Oid> base;
  std::map<std::string, Slot> changes;
};

class Editor {
 public:
  Editor(ObjectStore& store, const Oid& root) : store_(store) { root_.base = root; }

  Status apply(const Edit& edit) {
    const Path& path = edit.path;
    if (path.empty()) return set_root(edit);
    if (path.size() > kMaxDepth)
      return invalid("path " + format_pointer(path) + " has more than " +
                     std::to_string(kMaxDepth) + " tokens");
    EditObject* object = &root_;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      GITSTATE_ASSIGN_OR_RETURN(object, descend(*object, path, i, edit.create_parents));
    }
    const std::string& key = path.back();
    if (!edit.value) {
      GITSTATE_ASSIGN_OR_RETURN(bool exists, has_member(*object, key));
      if (!exists) return not_found("no value at " + format_pointer(path) + " to remove");
      object->changes[key] = Slot{Slot::Kind::kRemoved, {}, nullptr};
      return Status::ok();
    }
    GITSTATE_RETURN_IF_ERROR(check_key_length(path, path.size()));
    Path where = path;
    GITSTATE_ASSIGN_OR_RETURN(
        Node node, codec_internal::write_value_at(store_, *edit.value, where, path.size()));
    object->changes[key] = Slot{Slot::Kind::kNode, node, nullptr};
    return Status::ok();
  }

  // Writes every modified object bottom-up; returns the new root tree.
  Result<Oid> finish() { return write(root_); }

 private:
  Status set_root(const Edit& edit) {
    if (!edit.value) return invalid("cannot remove the root of a state");
    if (!edit.value->is_object())
      return invalid(std::string("the root of a state must be an object, not ") +
                     edit.value->type_name());
    GITSTATE_ASSIGN_OR_RETURN(Node node, write_value(store_, *edit.value));
    root_ = EditObject{node.oid, {}};
    return Status::ok();
  }

  static Status check_key_length(const Path& path, size_t length) {
    size_t bytes = escape_key(path[length - 1]).size();
    if (bytes <= kMaxKeyBytes) return Status::ok();
    return invalid("the key at " + format_pointer(Path(path.begin(), path.begin() + length)) +
                   " is " + std::to_string(bytes) + " bytes escaped; the limit is " +
                   std::to_string(kMaxKeyBytes));
  }

  // The stored member `key` of an object's base tree, if any.
  Result<std::optional<TreeEntry>> base_member(const EditObject& object, const std::string& key) {
    if (!object.base) return std::optional<TreeEntry>();
    return fanout::find_member(store_, *object.base, key);
  }

  Result<bool> has_member(const EditObject& object, const std::string& key) {
    auto it = object.changes.find(key);
    if (it != object.changes.end()) return it->second.kind != Slot::Kind::kRemoved;
    GITSTATE_ASSIGN_OR_RETURN(auto entry, base_member(object, key));
    return entry.has_value();
  }

  // The object at path[0..i] inside `parent` (the object at path[0..i-1]),
  // made editable; created when absent and `create`.
  Result<EditObject*> descend(EditObject& parent, const Path& path, size_t i, bool create) {
    const std::string& key = path[i];
    std::optional<Node> current;
    auto it = parent.changes.find(key);
    if (it != parent.changes.end()) {
      Slot& slot = it->second;
      if (slot.kind == Slot::Kind::kObject) return slot.object.get();
      if (slot.kind == Slot::Kind::kNode) current = slot.node;
    } else {
      GITSTATE_ASSIGN_OR_RETURN(auto entry, base_member(parent, key));
      if (entry) {
        GITSTATE_ASSIGN_OR_RETURN(Node node, codec_internal::node_of(*entry));
        current = node;
      }
    }
    auto object = std::make_unique<EditObject>();
    if (current) {
      if (!current->is_tree()) {
        return invalid("path " + format_pointer(path) + " goes through " +
                       codec_internal::describe_blob(store_, current->oid) + " at " +
                       format_pointer(Path(path.begin(), path.begin() + i + 1)));
      }
      object->base = current->oid;
    } else if (!create) {
      return not_found("parent " + format_pointer(Path(path.begin(), path.begin() + i + 1)) +
                       " of " + format_pointer(path) + " does not exist");
    } else {
      GITSTATE_RETURN_IF_ERROR(check_key_length(path, i + 1));
    }
    EditObject* raw = object.get();
    parent.changes[key] = Slot{Slot::Kind::kObject, {}, std::move(object)};
    return raw;
  }

  Result<Oid> write(EditObject& object) {
    if (object.changes.empty()) return object.base ? *object.base : store_.write_tree({});
    std::vector<fanout::MemberChange> changes;
    changes.reserve(object.changes.size());
    for (auto& [key, slot] : object.changes) {
      fanout::MemberChange change{fanout::key_hash(key), escape_key(key), std::nullopt};
      if (slot.kind == Slot::Kind::kNode) {
        change.entry = TreeEntry{change.name, slot.node.mode, slot.node.oid};
      } else if (slot.kind == Slot::Kind::kObject) {
        GITSTATE_ASSIGN_OR_RETURN(Oid tree, write(*slot.object));
        change.entry = TreeEntry{change.name, kModeTree, tree};
      }
      changes.push_back(std::move(change));
    }
    return fanout::update_object(store_, object.base, changes);
  }

  ObjectStore& store_;
  EditObject root_;
};
}  // namespace

Result<Oid> apply_edits(ObjectStore& store, const Oid& root_tree, const std::vector<Edit>& edits) {
  Editor editor(store, root_tree);
  for (const Edit& edit : edits) GITSTATE_RETURN_IF_ERROR(editor.apply(edit));
  return editor.finish();
}

}  // namespace gitstate
