// The tree walk of merge_trees: theirs' changes, looked up in base and ours,
// applied to ours' objects (tree_merge.h).
#include "gitstate/plumbing/tree_merge.h"

#include <span>

#include "codec_internal.h"
#include "fanout_internal.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_diff.h"
#include "tree_merge_internal.h"

namespace gitstate {

namespace {
using merge_internal::OptJson;
using OptNode = std::optional<Node>;
using Changes = std::span<const Change>;

std::string at(const Path& path) {
  return path.empty() ? "merging the state root" : "merging " + format_pointer(path);
}

class TreeMerger {
 public:
  TreeMerger(ObjectStore& store, merge_internal::ValueMerger& values, MergeStats& stats)
      : store_(store), values_(values), stats_(stats), empty_(store.write_tree({})) {}

  // The merged value of one member at `path` (nullopt: absent). `below`:
  // theirs' changes inside it, whose token `depth` names its members; empty
  // when theirs changed the member as a whole (or not at all).
  Result<OptNode> member(Path& path, size_t depth, const OptNode& base, const OptNode& ours,
                         const OptNode& theirs, Changes below) {
    if (ours == theirs || base == theirs) return ours;
    if (base == ours) return theirs;
    if (!ours || !theirs || !ours->is_tree() || !theirs->is_tree())
      return values(path, base, ours, theirs);
    Oid tree;
    if (!below.empty()) {
      // theirs changed members inside an object it shares with base
      GITSTATE_ASSIGN_OR_RETURN(tree,
                                members(path, depth, base->oid, ours->oid, theirs->oid, below));
    } else {
      std::optional<Oid> base_tree;
      if (base && base->is_tree()) base_tree = base->oid;
      GITSTATE_ASSIGN_OR_RETURN(tree, objects(path, base_tree, ours->oid, theirs->oid));
    }
    return OptNode(Node{kModeTree, tree});
  }

 private:
  // Merges the objects `ours` and `theirs` at `path` member by member against
  // `base` (nullopt: the empty object).
  Result<Oid> objects(Path& path, const std::optional<Oid>& base, const Oid& ours,
                      const Oid& theirs) {
    Oid from = base ? *base : empty_;
    DiffStats diff;
    DiffOptions options;
    options.with_values = false;
    auto changes = diff_trees(store_, from, theirs, options, &diff);
    if (!changes.is_ok()) return changes.status().with_context(at(path));
    stats_.trees_read += diff.trees_read;
    stats_.entries_compared += diff.entries_compared;
    return members(path, 0, from, ours, theirs, *changes);
  }

  // Applies theirs' `changes` (sorted by path) to the object `ours` at `path`;
  // token `depth` of each change's path names a member of these objects.
  Result<Oid> members(Path& path, size_t depth, const Oid& base, const Oid& ours, const Oid& theirs,
                      Changes changes) {
    std::vector<fanout::MemberChange> edits;
    for (size_t begin = 0, end; begin < changes.size(); begin = end) {
      const std::string& key = changes[begin].path[depth];
      end = begin + 1;
      while (end < changes.size() && changes[end].path[depth] == key) ++end;
      Changes below = changes.subspan(begin, end - begin);
      if (below.front().path.size() == depth + 1) below = {};  // a change of the member itself
      path.push_back(key);
      auto merged = looked_up(path, depth + 1, base, ours, theirs, below);
      path.pop_back();
      if (!merged.is_ok()) return merged.status();
      OptNode& node = merged->second;
      if (node == merged->first) continue;  // ours already holds it
      fanout::MemberChange edit{fanout::key_hash(key), escape_key(key), std::nullopt};
      if (node) edit.entry = TreeEntry{edit.name, node->mode, node->oid};
      edits.push_back(std::move(edit));
    }
    if (edits.empty()) return ours;
    return fanout::update_object(store_, ours, edits);
  }

  // member() for the member path.back() of the objects `base`, `ours` and
  // `theirs`; returns ours' node and the merged one.
  Result<std::pair<OptNode, OptNode>> looked_up(Path& path, size_t depth, const Oid& base,
                                                const Oid& ours, const Oid& theirs, Changes below) {
    const std::string& key = path.back();
    OptNode nodes[3];
    const Oid* trees[3] = {&base, &ours, &theirs};
    for (int side = 0; side < 3; ++side) {
      ++stats_.members_looked_up;
      auto entry = fanout::find_member(store_, *trees[side], key);
      if (!entry.is_ok()) return entry.status().with_context(at(path));
      if (!*entry) continue;
      auto node = codec_internal::node_of(**entry);
      if (!node.is_ok()) return node.status().with_context(at(path));
      nodes[side] = *node;
    }
    GITSTATE_ASSIGN_OR_RETURN(OptNode merged,
                              member(path, depth, nodes[0], nodes[1], nodes[2], below));
    return std::make_pair(nodes[1], merged);
  }

  // Merges values that are not objects on both sides, as JSON.
  Result<OptNode> values(Path& path, const OptNode& base, const OptNode& ours,
                         const OptNode& theirs) {
    OptJson read[3];
    const OptNode* nodes[3] = {&base, &ours, &theirs};
    for (int side = 0; side < 3; ++side) {
      if (!*nodes[side]) continue;
      auto value = codec_internal::read_value_at(store_, **nodes[side], path.size());
      if (!value.is_ok()) return value.status().with_context(at(path));
      read[side] = std::move(value).value();
    }
    GITSTATE_ASSIGN_OR_RETURN(OptJson merged, values_.merge(path, read[0], read[1], read[2]));
    if (merge_internal::same_value(merged, read[1])) return ours;
    if (merge_internal::same_value(merged, read[2])) return theirs;
    if (!merged) return OptNode();
    Path where = path;
    GITSTATE_ASSIGN_OR_RETURN(Node node,
                              codec_internal::write_value_at(store_, *merged, where, path.size()));
    return OptNode(node);
  }

  ObjectStore& store_;
  merge_internal::ValueMerger& values_;
  MergeStats& stats_;
  Oid empty_;  // the empty tree, for objects absent from base
};
}  // namespace

Result<MergeResult> merge_trees(ObjectStore& store, const Oid& base, const Oid& ours,
                                const Oid& theirs, const MergeOptions& options) {
  auto backend = std::make_unique<merge_internal::StagingBackend>(store);
  merge_internal::StagingBackend& staging = *backend;
  ObjectStore scratch(std::move(backend));
  const std::pair<const char*, const Oid*> roots[] = {
      {"base", &base}, {"ours", &ours}, {"theirs", &theirs}};
  for (const auto& [side, root] : roots) {
    GITSTATE_RETURN_IF_ERROR(
        scratch.read_tree(*root).status().with_context(std::string(side) + " state tree"));
  }
  MergeResult result;
  merge_internal::ConflictLog log(options);
  merge_internal::ValueMerger values(options, log);
  TreeMerger merger(scratch, values, result.stats);
  Path path;
  GITSTATE_ASSIGN_OR_RETURN(OptNode merged,
                            merger.member(path, 0, Node{kModeTree, base}, Node{kModeTree, ours},
                                          Node{kModeTree, theirs}, {}));
  result.tree = merged->oid;
  GITSTATE_RETURN_IF_ERROR(staging.publish(result.tree, scratch));
  log.finish(result);
  return result;
}

}  // namespace gitstate
