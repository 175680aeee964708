#include "gitstate/plumbing/tree_diff.h"

#include <algorithm>

#include "codec_internal.h"
#include "fanout_internal.h"

namespace gitstate {

namespace {
using json = nlohmann::json;

const std::vector<TreeEntry>& no_entries() {
  static const std::vector<TreeEntry> empty;
  return empty;
}

class Differ {
 public:
  Differ(ObjectStore& store, const DiffOptions& options, DiffStats& stats)
      : store_(store), options_(options), stats_(stats) {}

  // Reports the changes between two object trees at `path`.
  Status objects(Path& path, const Oid& old_tree, const Oid& new_tree) {
    if (old_tree == new_tree) return Status::ok();
    return nodes(path, &old_tree, &new_tree, 0, 0);
  }

  // Reports one member or value change at `path`.
  Status report(const Path& path, const std::optional<Node>& old_node,
                const std::optional<Node>& new_node) {
    Change change;
    change.path = path;
    change.kind = !old_node   ? ChangeKind::kAdded
                  : !new_node ? ChangeKind::kRemoved
                              : ChangeKind::kModified;
    if (options_.with_values) {
      if (old_node) {
        GITSTATE_ASSIGN_OR_RETURN(change.old_value,
                                  codec_internal::read_value_at(store_, *old_node, path.size()));
      }
      if (new_node) {
        GITSTATE_ASSIGN_OR_RETURN(change.new_value,
                                  codec_internal::read_value_at(store_, *new_node, path.size()));
      }
    }
    changes_.push_back(std::move(change));
    return Status::ok();
  }

  std::vector<Change> take() {
    std::sort(changes_.begin(), changes_.end(),
              [](const Change& a, const Change& b) { return a.path < b.path; });
    return std::move(changes_);
  }

 private:
  Result<TreePtr> read(const Oid* tree) {
    if (!tree) return TreePtr(TreePtr(), &no_entries());
    ++stats_.trees_read;
    return store_.read_tree(*tree);
  }

  // Compares two nodes of the object at `path` that sit at the same fanout
  // `level` under the same hash `prefix`; a null side is an empty node.
  Status nodes(Path& path, const Oid* old_tree, const Oid* new_tree, size_t level,
               uint64_t prefix) {
    GITSTATE_ASSIGN_OR_RETURN(TreePtr old_entries, read(old_tree));
    GITSTATE_ASSIGN_OR_RETURN(TreePtr new_entries, read(new_tree));
    bool old_fanout = fanout::is_fanout(*old_entries), new_fanout = fanout::is_fanout(*new_entries);
    if (old_fanout && new_fanout) return buckets(path, *old_entries, *new_entries, level, prefix);
    std::vector<fanout::StoredMember> old_members, new_members;
    if (!old_fanout && !new_fanout) {
      GITSTATE_RETURN_IF_ERROR(
          differing_entries(*old_entries, *new_entries, old_members, new_members));
    } else {
      // The object crossed the fanout threshold here: the layouts differ, so
      // compare every member.
      GITSTATE_RETURN_IF_ERROR(fanout::collect_node(store_, *old_entries, level, prefix,
                                                    old_members, &stats_.trees_read));
      GITSTATE_RETURN_IF_ERROR(fanout::collect_node(store_, *new_entries, level, prefix,
                                                    new_members, &stats_.trees_read));
    }
    return members(path, old_members, new_members);
  }

  // Two plain nodes: a merge in git order finds the entries that differ
  // without decoding the names of the equal ones.
  Status differing_entries(const std::vector<TreeEntry>& old_entries,
                           const std::vector<TreeEntry>& new_entries,
                           std::vector<fanout::StoredMember>& old_members,
                           std::vector<fanout::StoredMember>& new_members) {
    auto add = [](std::vector<fanout::StoredMember>& out, const TreeEntry& entry) -> Status {
      GITSTATE_ASSIGN_OR_RETURN(std::string key, unescape_name(entry.name));
      out.push_back({std::move(key), entry});
      return Status::ok();
    };
    auto o = old_entries.begin(), n = new_entries.begin();
    while (o != old_entries.end() || n != new_entries.end()) {
      ++stats_.entries_compared;
      if (n == new_entries.end() || (o != old_entries.end() && tree_entry_less(*o, *n))) {
        GITSTATE_RETURN_IF_ERROR(add(old_members, *o++));
      } else if (o == old_entries.end() || tree_entry_less(*n, *o)) {
        GITSTATE_RETURN_IF_ERROR(add(new_members, *n++));
      } else {
        if (o->oid != n->oid || o->mode != n->mode) {
          GITSTATE_RETURN_IF_ERROR(add(old_members, *o));
          GITSTATE_RETURN_IF_ERROR(add(new_members, *n));
        }
        ++o, ++n;
      }
    }
    return Status::ok();
  }

  // Both nodes fan out at `level`: align them bucket by bucket.
  Status buckets(Path& path, const std::vector<TreeEntry>& old_buckets,
                 const std::vector<TreeEntry>& new_buckets, size_t level, uint64_t prefix) {
    if (level >= fanout::kHashLevels) return corrupt("fanout tree nested deeper than 64 hash bits");
    auto o = old_buckets.begin(), n = new_buckets.begin();
    while (o != old_buckets.end() || n != new_buckets.end()) {
      ++stats_.entries_compared;
      const TreeEntry* old_bucket = nullptr;
      const TreeEntry* new_bucket = nullptr;
      if (n == new_buckets.end() || (o != old_buckets.end() && o->name < n->name)) {
        old_bucket = &*o++;
      } else if (o == old_buckets.end() || n->name < o->name) {
        new_bucket = &*n++;
      } else {
        old_bucket = &*o++;
        new_bucket = &*n++;
      }
      const TreeEntry* either = old_bucket ? old_bucket : new_bucket;
      int number = fanout::parse_bucket_name(either->name);
      if (number < 0 || (old_bucket && !old_bucket->is_tree()) ||
          (new_bucket && !new_bucket->is_tree()))
        return corrupt("fanout tree holds '" + either->name + "', which is not a bucket tree");
      if (old_bucket && new_bucket && old_bucket->oid == new_bucket->oid) continue;
      GITSTATE_RETURN_IF_ERROR(nodes(path, old_bucket ? &old_bucket->oid : nullptr,
                                     new_bucket ? &new_bucket->oid : nullptr, level + 1,
                                     (prefix << 8) | static_cast<unsigned>(number)));
    }
    return Status::ok();
  }

  // Compares members by key; equal keys may differ in type (blob vs tree).
  Status members(Path& path, std::vector<fanout::StoredMember>& old_members,
                 std::vector<fanout::StoredMember>& new_members) {
    auto by_key = [](const auto& a, const auto& b) { return a.key < b.key; };
    std::sort(old_members.begin(), old_members.end(), by_key);
    std::sort(new_members.begin(), new_members.end(), by_key);
    auto o = old_members.begin(), n = new_members.begin();
    while (o != old_members.end() || n != new_members.end()) {
      ++stats_.entries_compared;
      std::optional<Node> old_node, new_node;
      const std::string* key;
      if (n == new_members.end() || (o != old_members.end() && o->key < n->key)) {
        key = &o->key;
        GITSTATE_ASSIGN_OR_RETURN(old_node, codec_internal::node_of(o++->entry));
      } else if (o == old_members.end() || n->key < o->key) {
        key = &n->key;
        GITSTATE_ASSIGN_OR_RETURN(new_node, codec_internal::node_of(n++->entry));
      } else {
        key = &o->key;
        GITSTATE_ASSIGN_OR_RETURN(old_node, codec_internal::node_of(o++->entry));
        GITSTATE_ASSIGN_OR_RETURN(new_node, codec_internal::node_of(n++->entry));
      }
      if (old_node && new_node && *old_node == *new_node) continue;
      path.push_back(*key);
      Status status = old_node && new_node && old_node->is_tree() && new_node->is_tree()
                          ? objects(path, old_node->oid, new_node->oid)
                          : report(path, old_node, new_node);
      path.pop_back();
      GITSTATE_RETURN_IF_ERROR(status);
    }
    return Status::ok();
  }

  ObjectStore& store_;
  const DiffOptions& options_;
  DiffStats& stats_;
  std::vector<Change> changes_;
};

// The node at `path`; a path through a scalar or array counts as absent.
Result<std::optional<Node>> node_at(ObjectStore& store, const Oid& root, const Path& path) {
  auto node = lookup(store, root, path);
  if (!node.is_ok() && node.status().code() == Code::kInvalid) return std::optional<Node>();
  return node;
}
}  // namespace

Result<std::vector<Change>> diff_trees(ObjectStore& store, const Oid& old_root, const Oid& new_root,
                                       const DiffOptions& options, DiffStats* stats) {
  DiffStats local;
  DiffStats& counters = stats ? *stats : local;
  counters = DiffStats{};
  Differ differ(store, options, counters);
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Node> old_node, node_at(store, old_root, options.under));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Node> new_node, node_at(store, new_root, options.under));
  Path path = options.under;
  if (old_node && new_node && old_node->is_tree() && new_node->is_tree()) {
    GITSTATE_RETURN_IF_ERROR(differ.objects(path, old_node->oid, new_node->oid));
  } else if (old_node != new_node) {
    GITSTATE_RETURN_IF_ERROR(differ.report(path, old_node, new_node));
  }
  return differ.take();
}

json to_json_patch(const std::vector<Change>& changes) {
  json patch = json::array();
  for (const Change& change : changes) {
    ChangeKind kind = change.kind;
    if (change.old_value && change.new_value) {
      kind = ChangeKind::kModified;
    } else if (change.new_value) {
      kind = ChangeKind::kAdded;
    } else if (change.old_value) {
      kind = ChangeKind::kRemoved;
    }
    json op = {{"op", kind == ChangeKind::kAdded     ? "add"
                      : kind == ChangeKind::kRemoved ? "remove"
                                                     : "replace"},
               {"path", format_pointer(change.path)}};
    if (kind != ChangeKind::kRemoved && change.new_value) op["value"] = *change.new_value;
    patch.push_back(std::move(op));
  }
  return patch;
}

}  // namespace gitstate
