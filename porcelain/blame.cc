#include <map>

#include "gitstate/history.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/perspective_def.h"
#include "history_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"
#include "working_state_internal.h"

namespace gitstate {

namespace {
// The leaves still without a commit, as a tree of path tokens.
struct LeafTrie {
  std::map<std::string, LeafTrie> children;
  std::optional<size_t> entry;  // index into the result, for a leaf
  size_t pending = 0;           // leaves below (or here) not yet blamed
};

Status collect_leaves(ObjectStore& store, const Node& node, Path& path, LeafTrie& trie,
                      std::vector<BlameEntry>& entries) {
  bool leaf = !node.is_tree();
  if (!leaf) {
    GITSTATE_ASSIGN_OR_RETURN(TreePtr tree, store.read_tree(node.oid));
    leaf = tree->empty();
  }
  if (leaf) {
    trie.entry = entries.size();
    trie.pending = 1;
    entries.push_back(BlameEntry{format_pointer(path), Oid{}, Signature{}});
    return Status::ok();
  }
  GITSTATE_RETURN_IF_ERROR(
      for_each_member(store, node.oid, [&](const std::string& key, const Node& child) {
        path.push_back(key);
        LeafTrie& sub = trie.children[key];
        Status status = collect_leaves(store, child, path, sub, entries);
        trie.pending += sub.pending;
        path.pop_back();
        return status;
      }));
  return Status::ok();
}

// Blames `commit` for every pending leaf under `trie` whose node differs
// from the parent's; returns how many it blamed.
Result<size_t> blame_changed(ObjectStore& store, LeafTrie& trie, const Node& node,
                             const std::optional<Node>& parent, const CommitInfo& commit,
                             std::vector<BlameEntry>& entries) {
  if (trie.pending == 0 || (parent && *parent == node)) return size_t{0};
  if (trie.entry) {
    entries[*trie.entry].commit = commit.id;
    entries[*trie.entry].author = commit.author;
    trie.pending = 0;
    return size_t{1};
  }
  size_t blamed = 0;
  for (auto& [key, sub] : trie.children) {
    if (sub.pending == 0) continue;
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Node> child, lookup(store, node.oid, Path{key}));
    if (!child) return corrupt("blame: " + key + " vanished from tree " + node.oid.hex());
    std::optional<Node> parent_child;
    if (parent && parent->is_tree()) {
      GITSTATE_ASSIGN_OR_RETURN(parent_child, lookup(store, parent->oid, Path{key}));
    }
    GITSTATE_ASSIGN_OR_RETURN(size_t n,
                              blame_changed(store, sub, *child, parent_child, commit, entries));
    blamed += n;
  }
  trie.pending -= blamed;
  return blamed;
}

// The node at `path` of `tree`, when the path ends at a tree member.
Result<std::optional<Node>> node_at(ObjectStore& store, const Oid& tree, const Path& path) {
  GITSTATE_ASSIGN_OR_RETURN(Location location, locate(store, tree, path));
  if (location.kind == Location::Kind::kTree || location.kind == Location::Kind::kBlob)
    return std::optional<Node>(location.node);
  return std::optional<Node>();
}

// Blame through the perspective `repo` is bound to: the leaves of the view,
// each blamed on the full history (the commit that last changed a visible
// leaf changes something visible, so the reader sees it).
Result<std::vector<BlameEntry>> blame_through(const Repository& repo, const Path& path,
                                              std::string_view pointer, std::string_view rev) {
  GITSTATE_ASSIGN_OR_RETURN(Oid start, repo.resolve(rev));
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(repo.objects(), start));
  GITSTATE_ASSIGN_OR_RETURN(Oid view, seen_tree(repo, tree));
  GITSTATE_ASSIGN_OR_RETURN(auto value, value_if_present(repo.objects(), view, path));
  if (!value)
    return not_found((pointer.empty() ? "/" : std::string(pointer)) + " does not exist at " +
                     (rev.empty() ? "the current branch" : std::string(rev)));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<BlameEntry> all,
                            blame(unbound(repo), pointer, start.hex()));
  std::vector<BlameEntry> entries;
  for (BlameEntry& entry : all) {
    GITSTATE_ASSIGN_OR_RETURN(Path leaf, parse_pointer(entry.path));
    if (path_visible(repo.perspective()->filter, leaf)) entries.push_back(std::move(entry));
  }
  return entries;
}
}  // namespace

Result<std::vector<BlameEntry>> blame(const Repository& repo, std::string_view pointer,
                                      std::string_view rev) {
  ObjectStore& store = repo.objects();
  GITSTATE_ASSIGN_OR_RETURN(Path path, parse_user_pointer(pointer));
  if (repo.perspective()) return blame_through(repo, path, pointer, rev);
  GITSTATE_ASSIGN_OR_RETURN(Oid start, repo.resolve(rev));
  GITSTATE_ASSIGN_OR_RETURN(CommitInfo commit, read_commit_info(repo, start));
  GITSTATE_ASSIGN_OR_RETURN(Location location, locate(store, commit.tree, path));
  std::string shown = pointer.empty() ? "/" : std::string(pointer);
  std::string at = rev.empty() ? "the current branch" : std::string(rev);
  if (location.kind == Location::Kind::kMissing)
    return not_found(shown + " does not exist at " + at);

  std::vector<BlameEntry> entries;
  if (location.kind == Location::Kind::kInsideBlob) {
    // One leaf inside an array value: compare values along the first parents.
    GITSTATE_ASSIGN_OR_RETURN(auto value, value_if_present(store, commit.tree, path));
    if (!value) return not_found(shown + " does not exist at " + at);
    while (true) {
      std::optional<Oid> parent;
      if (!commit.parents.empty()) parent = commit.parents.front();
      GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, tree_of(store, parent));
      GITSTATE_ASSIGN_OR_RETURN(bool changed, path_changed(store, parent_tree, commit.tree, path));
      if (changed || !parent) break;
      GITSTATE_ASSIGN_OR_RETURN(commit, read_commit_info(repo, *parent));
    }
    entries.push_back(BlameEntry{format_pointer(path), commit.id, commit.author});
    return entries;
  }

  LeafTrie trie;
  Path walk = path;
  GITSTATE_RETURN_IF_ERROR(collect_leaves(store, location.node, walk, trie, entries));
  while (trie.pending > 0) {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Node> node, node_at(store, commit.tree, path));
    std::optional<Node> parent_node;
    std::optional<Oid> parent;
    if (!commit.parents.empty()) {
      parent = commit.parents.front();
      GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, tree_of(store, parent));
      GITSTATE_ASSIGN_OR_RETURN(parent_node, node_at(store, parent_tree, path));
    }
    if (!node) return corrupt("blame: " + shown + " vanished at commit " + commit.id.hex());
    GITSTATE_RETURN_IF_ERROR(
        blame_changed(store, trie, *node, parent_node, commit, entries).status());
    if (!parent) break;
    GITSTATE_ASSIGN_OR_RETURN(commit, read_commit_info(repo, *parent));
  }
  return entries;
}

}  // namespace gitstate
