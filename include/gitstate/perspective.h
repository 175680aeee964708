// Perspectives: named tree filters stored in the repository, and the views
// of states and deltas through them.
//
// Definitions (perspective_def.h gives their form, validation and the
// extends rule) live under the ref `refs/gitstate/perspectives`, versioned
// like state and travelling with it on sync: a chain of commits, one per
// define or remove, whose tree is a gitstate state tree
// {"<name>": <canonical definition JSON>, ...} (written with the codec). The
// ref moves by compare-and-swap; a define or remove that finds it moved
// reads the definitions again and retries (at most kMaxPerspectiveAttempts
// times), so concurrent definitions are never lost.
//
// Reading through a perspective: bind a Repository handle with
// Repository::through(name) (repository.h says what a bound handle sees and
// may change). The functions below give the pieces others need (the event
// bus, watch): a perspective resolved by name, the view of a state tree, and
// the delta between two states as seen through a perspective.
//
// Thread-safety: all functions may be called from several threads at once;
// views are remembered in a cache shared by every copy of a Repository.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/perspective_def.h"
#include "gitstate/plumbing/view_cache.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

// The ref that holds the definitions.
constexpr char kPerspectivesRef[] = "refs/gitstate/perspectives";
// How many times define/remove retry when the ref moves under them.
constexpr int kMaxPerspectiveAttempts = 100;

// Creates or replaces the definition `def.name`, as one commit on the
// perspectives ref; returns the commit id. Replacing with the same canonical
// definition still commits. kInvalid when `def` does not validate or the
// resulting extends-chain of `def` (or of a perspective that extends it) is
// broken (a cycle, too long); kNotFound when `def.extends` names no defined
// perspective; kConflict when the ref kept moving; kIO. On error nothing
// changes.
Result<Oid> define_perspective(const Repository& repo, const PerspectiveDef& def);

// Removes the definition `name`, as one commit; returns the commit id.
// kNotFound when it is not defined; kConflict when another perspective
// extends it (the message names one) or the ref kept moving; kInvalid for a
// malformed name. On error nothing changes.
Result<Oid> remove_perspective(const Repository& repo, const std::string& name);

// Every stored definition, in name order (empty when none was ever defined).
// kCorrupt when a stored definition does not parse.
Result<std::vector<PerspectiveDef>> list_perspectives(const Repository& repo);

// The stored definition `name`. kNotFound when there is none; kInvalid for a
// malformed name; kCorrupt when it does not parse.
Result<PerspectiveDef> read_perspective(const Repository& repo, const std::string& name);

// The perspective `name` with its stored extends-chain resolved (the form
// views and Repository::through use). Errors as resolve_perspective.
Result<ResolvedPerspective> resolve_stored_perspective(const Repository& repo,
                                                       const std::string& name);

// The root tree of the state `state_tree` as seen through `perspective`
// (hidden objects as markers when `mark_hidden`), from the repository's view
// cache when known. kCorrupt / kIO as filter_tree.
Result<Oid> view_tree(const Repository& repo, const Oid& state_tree,
                      const ResolvedPerspective& perspective, bool mark_hidden = false);

// What the repository's view cache (shared by every copy of the handle) has
// done so far: hits, misses and entries. Views of new heads landing in this
// process are computed ahead of reads, from the event bus, once a view of
// their perspective has been read (docs/perspectives.md, "Caching"). Never
// fails.
ViewCache::Stats view_cache_stats(const Repository& repo);

// The RFC 6902 patch turning the view of `old_tree` into the view of
// `new_tree` (an oid-pruned diff of the two views): what a reader bound to
// `perspective` sees of the change between the two states. Empty when the
// change touches only hidden paths. kCorrupt / kIO as filter_tree.
Result<nlohmann::json> view_delta(const Repository& repo, const Oid& old_tree, const Oid& new_tree,
                                  const ResolvedPerspective& perspective);

// The whole state at `rev` (empty: the current branch) through the
// perspective `repo` is bound to, with excluded objects replaced by hidden
// markers when `mark_hidden`. kInvalid when `repo` is not bound; revision
// errors as Repository::resolve.
Result<nlohmann::json> read_view(const Repository& repo, std::string_view rev = {},
                                 bool mark_hidden = false);

}  // namespace gitstate
