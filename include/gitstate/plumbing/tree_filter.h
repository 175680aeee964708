// Tree filter: a state as seen through include and exclude globs, at a cost
// that follows the boundary of the filter, not the size of the state.
//
// Visibility. A path P (an object member at any depth) is *visible* when P
// or one of its ancestors matches an include glob and neither P nor any of
// its ancestors matches an exclude glob: exclude wins, and a glob that
// matches an object covers everything below it. The view holds every visible
// member, and the objects on the way down to them:
//   - a visible object holds its visible members only, and stays even when
//     none is left (an included {} is in the view as {});
//   - an object that is not visible itself (no include at or above it) is in
//     the view only while it holds a visible member, and then holds just
//     those;
//   - the root is always an object (the empty object when nothing is visible;
//     an exclude matching the root "" hides everything).
// Arrays and scalars are leaves: globs never look inside them ("/list/0"
// matches nothing in a state where /list is an array), and a leaf is visible
// or not as a whole. Fanout is invisible: members are filtered, never buckets.
//
// The result is exactly the tree write_state gives for the filtered JSON
// (objects laid out again by the codec's fanout rule, so a 10,000-member
// object filtered down to 50 members is a plain tree again). Subtrees are
// kept by id without being read where the filter cannot change them (an
// included object no exclude can reach inside), skipped without being read
// where no include can reach, and only the members named by the globs are
// looked up where every glob that can still match names the next token
// literally ("/config/db/**" looks up "config", then "db", in objects of any
// size). A visible object loses its excluded members through a tree edit, so
// its fanout buckets that lost nothing keep their ids.
//
// Hidden markers (Filter::mark_hidden): a member whose value is an object,
// that would be visible but for an exclude glob matching its own path, is
// kept in the view as the string "gitstate:hidden:<tree id in hex>" (see
// hidden_marker), so that anyone holding the full state can check the view
// against it. Other hidden members are dropped: a scalar's or array's blob id
// would let anyone confirm a guess of a small value (true, 0, ""), and
// members that were never included are outside the view, not hidden. A tree
// id can confirm a guess of a small object in the same way; only mark views
// for readers who may learn the shape of what is hidden.
//
// Trust: subtrees kept by id are not read, so filtering does not verify
// them; verify the source state to know that the view is well-formed.
//
// Thread-safety: a pure function over an ObjectStore (itself thread-safe);
// a Filter is immutable once built and may be shared between threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/pointer_glob.h"
#include "gitstate/result.h"

namespace gitstate {

struct Filter {
  std::vector<PointerGlob> include;  // none: nothing is visible
  std::vector<PointerGlob> exclude;
  bool mark_hidden = false;  // replace excluded objects with hidden markers
};

// Work done by one filter_tree call, to show that its cost follows the
// boundary of the filter.
struct FilterStats {
  size_t trees_read = 0;        // trees read, fanout buckets included
  size_t entries_examined = 0;  // members whose visibility was decided
};

// The root tree of the state `state_tree` as seen through `filter`; new
// trees and marker blobs are written to `store` (pending until flushed).
// `stats`, when given, receives the work done. kCorrupt when a tree the
// filter reads is malformed (bad name, mode or fanout layout, nesting past
// kMaxDepth); kNotFound/kIO from the store. On error nothing is returned;
// objects already written are unreferenced garbage.
Result<Oid> filter_tree(ObjectStore& store, const Oid& state_tree, const Filter& filter,
                        FilterStats* stats = nullptr);

// True when `path` is visible through `filter` (the rule above): an include
// matches it or an ancestor, and no exclude matches it or an ancestor.
// Never fails; reads nothing.
bool path_visible(const Filter& filter, const Path& path);

// True when something at or below `path` can be visible: no exclude matches
// it or an ancestor, and an include matches it, an ancestor, or a path below
// it. Never fails; reads nothing.
bool path_may_hold_visible(const Filter& filter, const Path& path);

// What a hidden marker starts with.
constexpr std::string_view kHiddenMarkerPrefix = "gitstate:hidden:";

// The marker string standing for the hidden object stored as `tree`:
// "gitstate:hidden:" and the tree's 40-digit lowercase hex id. Never fails.
std::string hidden_marker(const Oid& tree);

}  // namespace gitstate
