#include "event_publish_internal.h"

#include "event_bus_internal.h"
#include "gitstate/plumbing/tree_diff.h"
#include "history_internal.h"

namespace gitstate {

namespace {
size_t chain_event_count(const Chain& chain) {
  size_t commits = 0;
  for (const CommitOutcome& outcome : chain.outcomes) commits += outcome.created ? 1 : 0;
  return (commits == 0 ? 1 : commits) + (chain.merge ? 1 : 0);
}

std::optional<PublishedEvent> commit_event(RepositoryState& state, const std::string& branch,
                                           const Oid& id, const Oid& parent_tree) {
  auto commit = read_commit(*state.store, id);
  if (!commit.is_ok()) return std::nullopt;
  PublishedEvent published;
  Event& event = published.event;
  event.kind = EventKind::kCommit;
  event.branch = branch;
  event.commit = make_commit_info(id, *commit);
  if (!commit->parents.empty()) event.old_head = commit->parents.front();
  event.new_head = id;
  // Delivered by a thread that publishes on this repository, so `state` lives.
  published.delta = [&store = *state.store, parent_tree, tree = commit->tree] {
    return diff_trees(store, parent_tree, tree);
  };
  return published;
}

PublishedEvent ref_event(EventKind kind, const std::string& branch,
                         const std::optional<Oid>& old_head, const std::optional<Oid>& new_head) {
  PublishedEvent published;
  published.event.kind = kind;
  published.event.branch = branch;
  published.event.old_head = old_head;
  published.event.new_head = new_head;
  return published;
}

// Publishes `published` as the event numbered `sequence` of its branch.
void publish_numbered(RepositoryState& state, uint64_t sequence, PublishedEvent published) {
  std::string branch = published.event.branch;
  published.event.sequence = sequence;
  std::vector<std::optional<PublishedEvent>> events;
  events.push_back(std::move(published));
  state.events->publish(branch, sequence, std::move(events));
}

// The paths of `conflicts`, as JSON Pointers.
std::vector<std::string> conflict_paths(const std::vector<Conflict>& conflicts) {
  std::vector<std::string> paths;
  for (const Conflict& conflict : conflicts) paths.push_back(format_pointer(conflict.path));
  return paths;
}

// Publishes an event that moves no ref: numbered now, after the events of
// every move before it.
void publish_unmoved(RepositoryState& state, PublishedEvent published) {
  std::string branch = published.event.branch;
  if (std::optional<uint64_t> sequence = state.events->reserve(branch, 1))
    publish_numbered(state, *sequence, std::move(published));
}
}  // namespace

std::optional<uint64_t> reserve_chain_events(RepositoryState& state, const std::string& branch,
                                             const Chain& chain) {
  return state.events->reserve(branch, chain_event_count(chain));
}

void publish_chain_events(RepositoryState& state, const std::string& branch, const Chain& chain,
                          uint64_t first) {
  std::vector<std::optional<PublishedEvent>> events;
  Oid parent_tree = chain.base_tree;
  for (const CommitOutcome& outcome : chain.outcomes) {
    if (!outcome.created) continue;
    events.push_back(commit_event(state, branch, outcome.commit, parent_tree));
    parent_tree = outcome.tree;
  }
  if (events.empty()) {
    events.push_back(ref_event(EventKind::kBranchMoved, branch, chain.base, chain.head));
    events.back()->event.fast_forward = true;
  }
  if (chain.merge) {
    PublishedEvent finished = ref_event(EventKind::kMergeFinished, branch, chain.base, chain.head);
    finished.event.operation = chain.merge->operation;
    finished.event.source = chain.merge->source;
    finished.event.fast_forward = chain.outcomes.empty();
    events.push_back(std::move(finished));
  }
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i]) events[i]->event.sequence = first + i;
  state.events->publish(branch, first, std::move(events));
}

std::optional<uint64_t> reserve_ref_event(RepositoryState& state, const std::string& branch) {
  return state.events->reserve(branch, 1);
}

void publish_ref_event(RepositoryState& state, uint64_t sequence, EventKind kind,
                       const std::string& branch, const std::optional<Oid>& old_head,
                       const std::optional<Oid>& new_head, bool fast_forward) {
  PublishedEvent published = ref_event(kind, branch, old_head, new_head);
  published.event.fast_forward = fast_forward;
  publish_numbered(state, sequence, std::move(published));
}

void publish_merge_stopped(RepositoryState& state, const std::string& branch,
                           const std::string& operation, const Oid& head, const Oid& source,
                           const std::vector<Conflict>& conflicts) {
  PublishedEvent published = ref_event(EventKind::kMergeStopped, branch, head, head);
  published.event.operation = operation;
  published.event.source = source;
  published.event.conflicts = conflict_paths(conflicts);
  publish_unmoved(state, std::move(published));
}

void publish_sync_finished(RepositoryState& state, const std::string& branch,
                           const std::string& operation, const std::string& peer,
                           const std::optional<Oid>& old_head, const std::optional<Oid>& new_head,
                           const std::vector<Conflict>& conflicts) {
  PublishedEvent published = ref_event(EventKind::kSyncFinished, branch, old_head, new_head);
  published.event.operation = operation;
  published.event.peer = peer;
  published.event.conflicts = conflict_paths(conflicts);
  publish_unmoved(state, std::move(published));
}

}  // namespace gitstate
