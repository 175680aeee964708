#include "gitstate/plumbing/tree_filter.h"

#include <algorithm>
#include <optional>

#include "codec_internal.h"
#include "fanout_internal.h"
#include "gitstate/plumbing/codec.h"

namespace gitstate {

namespace {
using json = nlohmann::json;

bool any_matches(const std::vector<PointerGlob>& globs, const Path& path) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const PointerGlob& glob) { return glob.matches(path); });
}

bool any_can_match_below(const std::vector<PointerGlob>& globs, const Path& path) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const PointerGlob& glob) { return glob.can_match_below(path); });
}

class Filterer {
 public:
  Filterer(ObjectStore& store, const Filter& filter, FilterStats& stats)
      : store_(store), filter_(filter), stats_(stats) {}

  Result<Oid> root(const Oid& tree) {
    Path path;
    if (any_matches(filter_.exclude, path)) return empty_tree_id();
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Node> view,
                              object(path, tree, any_matches(filter_.include, path)));
    return view ? view->oid : empty_tree_id();
  }

 private:
  // The view of the member at `path` holding `node`, under a parent that is
  // visible (`parent_included`) or not; nullopt when it is not in the view.
  Result<std::optional<Node>> member(Path& path, const Node& node, bool parent_included) {
    ++stats_.entries_examined;
    bool included = parent_included || any_matches(filter_.include, path);
    if (any_matches(filter_.exclude, path)) {
      if (filter_.mark_hidden && included && node.is_tree()) return marker(node.oid);
      return std::optional<Node>();
    }
    if (!node.is_tree()) return included ? std::optional<Node>(node) : std::optional<Node>();
    return object(path, node.oid, included);
  }

  // The view of the object stored as `tree` at `path`, which no exclude
  // matches at or above.
  Result<std::optional<Node>> object(Path& path, const Oid& tree, bool included) {
    if (included && !any_can_match_below(filter_.exclude, path))
      return std::optional<Node>(Node{kModeTree, tree});
    if (!included && !any_can_match_below(filter_.include, path)) return std::optional<Node>();
    if (path.size() >= kMaxDepth)
      return corrupt("tree " + tree.hex() + " nests deeper than " + std::to_string(kMaxDepth) +
                     " levels");
    if (included) return edited_object(path, tree);
    return rebuilt_object(path, tree);
  }

  // A visible object: every member stays but those an exclude reaches, which
  // are edited in place so that untouched buckets keep their ids.
  Result<std::optional<Node>> edited_object(Path& path, const Oid& tree) {
    std::vector<fanout::StoredMember> candidates;
    GITSTATE_RETURN_IF_ERROR(reachable_members(filter_.exclude, path, tree, candidates));
    std::vector<fanout::MemberChange> changes;
    for (fanout::StoredMember& candidate : candidates) {
      GITSTATE_ASSIGN_OR_RETURN(Node node, codec_internal::node_of(candidate.entry));
      path.push_back(candidate.key);
      auto view = member(path, node, true);
      path.pop_back();
      if (!view.is_ok()) return view.status();
      if (*view && **view == node) continue;
      fanout::MemberChange change{fanout::key_hash(candidate.key), candidate.entry.name, {}};
      if (*view) change.entry = TreeEntry{candidate.entry.name, (*view)->mode, (*view)->oid};
      changes.push_back(std::move(change));
    }
    if (changes.empty()) return std::optional<Node>(Node{kModeTree, tree});
    GITSTATE_ASSIGN_OR_RETURN(Oid edited,
                              fanout::update_object(store_, tree, changes, &stats_.trees_read));
    return std::optional<Node>(Node{kModeTree, edited});
  }

  // An object that is not visible itself: the members an include reaches
  // that have something visible, laid out afresh; nullopt when none has.
  Result<std::optional<Node>> rebuilt_object(Path& path, const Oid& tree) {
    std::vector<fanout::StoredMember> candidates;
    GITSTATE_RETURN_IF_ERROR(reachable_members(filter_.include, path, tree, candidates));
    std::vector<fanout::Member> visible;
    for (fanout::StoredMember& candidate : candidates) {
      GITSTATE_ASSIGN_OR_RETURN(Node node, codec_internal::node_of(candidate.entry));
      path.push_back(candidate.key);
      auto view = member(path, node, false);
      path.pop_back();
      if (!view.is_ok()) return view.status();
      if (!*view) continue;
      visible.push_back({TreeEntry{std::move(candidate.entry.name), (*view)->mode, (*view)->oid},
                         fanout::key_hash(candidate.key)});
    }
    if (visible.empty()) return std::optional<Node>();
    return std::optional<Node>(Node{kModeTree, fanout::write_node(store_, visible, 0)});
  }

  // The members of the object `tree` at `path` that one of `globs` can reach:
  // looked up by name when every glob names the next token literally, else
  // all of them.
  Status reachable_members(const std::vector<PointerGlob>& globs, const Path& path, const Oid& tree,
                           std::vector<fanout::StoredMember>& out) {
    std::vector<std::string> keys;
    for (const PointerGlob& glob : globs) {
      PointerGlob::NextTokens next = glob.next_tokens(path);
      if (next.any) return all_members(tree, out);
      for (std::string& key : next.literals)
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
    }
    for (std::string& key : keys) {
      GITSTATE_ASSIGN_OR_RETURN(std::optional<TreeEntry> entry,
                                fanout::find_member(store_, tree, key, &stats_.trees_read));
      if (entry) out.push_back({std::move(key), std::move(*entry)});
    }
    return Status::ok();
  }

  Status all_members(const Oid& tree, std::vector<fanout::StoredMember>& out) {
    ++stats_.trees_read;
    GITSTATE_ASSIGN_OR_RETURN(TreePtr entries, store_.read_tree(tree));
    return fanout::collect_node(store_, *entries, 0, 0, out, &stats_.trees_read)
        .with_context("object tree " + tree.hex());
  }

  Result<std::optional<Node>> marker(const Oid& tree) {
    Oid blob = store_.write(ObjectType::kBlob, canonical_text(json(hidden_marker(tree))));
    return std::optional<Node>(Node{kModeBlob, blob});
  }

  ObjectStore& store_;
  const Filter& filter_;
  FilterStats& stats_;
};
}  // namespace

Result<Oid> filter_tree(ObjectStore& store, const Oid& state_tree, const Filter& filter,
                        FilterStats* stats) {
  FilterStats local;
  FilterStats& counters = stats ? *stats : local;
  counters = FilterStats{};
  return Filterer(store, filter, counters).root(state_tree);
}

namespace {
// Whether an include matches `path` or an ancestor; nullopt when an exclude does.
std::optional<bool> included_unless_excluded(const Filter& filter, const Path& path) {
  Path prefix;
  bool included = false;
  for (size_t depth = 0;; ++depth) {
    if (any_matches(filter.exclude, prefix)) return std::nullopt;
    included = included || any_matches(filter.include, prefix);
    if (depth == path.size()) return included;
    prefix.push_back(path[depth]);
  }
}
}  // namespace

bool path_visible(const Filter& filter, const Path& path) {
  return included_unless_excluded(filter, path).value_or(false);
}

bool path_may_hold_visible(const Filter& filter, const Path& path) {
  std::optional<bool> included = included_unless_excluded(filter, path);
  if (!included) return false;
  return *included || any_can_match_below(filter.include, path);
}

std::string hidden_marker(const Oid& tree) { return std::string(kHiddenMarkerPrefix) + tree.hex(); }

}  // namespace gitstate
