#include <queue>
#include <unordered_map>

#include "gitstate/history.h"
#include "history_internal.h"
#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
struct GraphNode {
  CommitData commit;
  size_t children = 0;  // children inside the walked graph not yet visited
  size_t sequence = 0;  // discovery order, to break ties in committer time
};

using Graph = std::unordered_map<Oid, GraphNode, OidHash>;

size_t parent_count(const GraphNode& node, bool first_parent) {
  return first_parent ? std::min<size_t>(node.commit.parents.size(), 1)
                      : node.commit.parents.size();
}

Result<Graph> load_graph(ObjectStore& store, const Oid& start, bool first_parent) {
  Graph graph;
  std::vector<Oid> pending{start};
  size_t sequence = 0;
  while (!pending.empty()) {
    Oid id = pending.back();
    pending.pop_back();
    if (graph.count(id)) continue;
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(store, id));
    GraphNode& node = graph[id];
    node.commit = std::move(commit);
    node.sequence = sequence++;
    for (size_t i = parent_count(node, first_parent); i-- > 0;)
      pending.push_back(node.commit.parents[i]);
  }
  for (auto& [id, node] : graph)
    for (size_t i = 0; i < parent_count(node, first_parent); ++i)
      ++graph[node.commit.parents[i]].children;
  return graph;
}

struct LogFilter {
  const LogOptions& options;
  std::optional<Path> path;

  Result<bool> keep(const Repository& repo, const CommitInfo& info) const {
    if (!options.author.empty() && info.author.name.find(options.author) == std::string::npos &&
        info.author.email.find(options.author) == std::string::npos)
      return false;
    if (!options.tag.empty() &&
        std::find(info.tags.begin(), info.tags.end(), options.tag) == info.tags.end())
      return false;
    if (options.since && info.committer.time < *options.since) return false;
    if (options.until && info.committer.time > *options.until) return false;
    if (path) {
      GITSTATE_ASSIGN_OR_RETURN(Oid parent_tree, first_parent_tree(repo, info));
      return path_changed(repo.objects(), parent_tree, info.tree, *path);
    }
    return true;
  }
};
}  // namespace

Status walk_log(const Repository& repo, const LogOptions& options,
                const std::function<bool(const CommitInfo&)>& visit) {
  ObjectStore& store = repo.objects();
  LogFilter filter{options, std::nullopt};
  if (!options.path.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(filter.path, parse_user_pointer(options.path));
  }
  GITSTATE_ASSIGN_OR_RETURN(Oid start, repo.resolve(options.rev));
  GITSTATE_ASSIGN_OR_RETURN(Graph graph, load_graph(store, start, options.first_parent));

  // Newest committer time first; among equals, the one discovered first.
  auto later = [&graph](const Oid& a, const Oid& b) {
    const GraphNode& x = graph.at(a);
    const GraphNode& y = graph.at(b);
    if (x.commit.committer.time != y.commit.committer.time)
      return x.commit.committer.time < y.commit.committer.time;
    return x.sequence > y.sequence;
  };
  std::priority_queue<Oid, std::vector<Oid>, decltype(later)> ready(later);
  ready.push(start);
  size_t shown = 0;
  while (!ready.empty()) {
    Oid id = ready.top();
    ready.pop();
    GraphNode& node = graph.at(id);
    GITSTATE_ASSIGN_OR_RETURN(std::optional<CommitInfo> info, seen_commit(repo, id, node.commit));
    bool keep = false;
    if (info) {
      GITSTATE_ASSIGN_OR_RETURN(keep, filter.keep(repo, *info));
    }
    if (keep) {
      if (!visit(*info)) return Status::ok();
      if (options.max_count && ++shown >= options.max_count) return Status::ok();
    }
    for (size_t i = 0; i < parent_count(node, options.first_parent); ++i) {
      const Oid& parent = node.commit.parents[i];
      if (--graph.at(parent).children == 0) ready.push(parent);
    }
  }
  return Status::ok();
}

Result<std::vector<CommitInfo>> log(const Repository& repo, const LogOptions& options) {
  std::vector<CommitInfo> entries;
  GITSTATE_RETURN_IF_ERROR(walk_log(repo, options, [&entries](const CommitInfo& info) {
    entries.push_back(info);
    return true;
  }));
  return entries;
}

}  // namespace gitstate
