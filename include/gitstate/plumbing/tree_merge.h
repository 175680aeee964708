// Tree merge: the structural three-way merge of JSON states, at a cost that
// follows the changes.
//
// merge_trees() merges the states `ours` and `theirs`, both descended from
// `base`. It lists theirs' changes against base (diff_trees, which skips
// every subtree whose id is equal on both sides) and looks each changed member
// up in base and ours; the merged tree starts from ours, and only the objects
// on the paths of theirs' changes are rewritten. So the cost follows theirs'
// changes, not the size of the state, and ours' changes cost nothing: ours is
// read along those paths only (and, where a fanout object shrinks to
// kFanoutThreshold members, its remaining buckets). Fanout is invisible: a
// side may be flat and another fanned out, and the merged objects are laid
// out exactly as write_value would lay out the merged JSON, so the merged id
// depends only on the merged state (history independence).
//
// The rules, for one value (a member of an object, or an element of a keyed
// array), comparing canonical values (1 and 1.0 are equal; absent is a value):
//   1. ours equal to theirs: that value (both made the same change, or none).
//   2. only one side differs from base: that side's value (a change, an
//      addition or a removal on one side only).
//   3. both differ, both are objects: merged member by member with these
//      rules. An object absent from base (or base holding a scalar or array
//      there) counts as the empty object, so objects added on both sides merge
//      member by member too.
//   4. both differ, both are arrays, and the path is declared a keyed array:
//      merged element by element (below).
//   5. otherwise a conflict: different changes to the same scalar or array, a
//      change against a removal, a type change (object vs anything else).
//
// Keyed arrays (MergeOptions::keyed_arrays): an array at a path matching a
// declaration (first match wins) is an array of objects identified by the
// member `key`. It merges as keyed when, on every side where it is an array,
// each element is an object whose `key` member is a string or a number, and
// no two elements have the same identity token (below). Otherwise it merges
// as one whole value (rule 5) and the merge says so in MergeResult::fallbacks;
// that is not an error. A base that is absent or not an array counts as the
// empty array.
//   - Elements are matched by identity and merged with rules 1-5, so element
//     objects merge member by member (and keyed arrays nested in them merge
//     by key too), except that an element added on both sides with different
//     contents is a conflict at the element's path. Removed on one side and
//     changed on the other is a conflict (rule 5).
//   - The identity token of an element is `key` "=" value: the string itself
//     for a string, its canonical text for a number ("name=web", "id=17";
//     the string "17" and the number 17 share a token, so an array holding
//     both falls back).
//     Elements and the values in them are named by paths through that token:
//     /services/name=web/image. Such paths appear in conflicts, resolutions,
//     rules and nested keyed-array declarations, and are not indexes: they
//     still name the element when it moves or is absent on one side.
//   - Order: the leading side's order is kept for the elements in the
//     result: theirs' when theirs changed the relative order of the elements
//     it shares with base and ours did not, else ours' (so when both
//     reordered, ours' order wins). Each element of the result missing from
//     that order (added by the other side, or kept there by a conflict) is
//     placed in the other side's order: last when no element of the leading
//     order follows it on its side; otherwise right after its nearest
//     predecessor on its side that is in the result (first without one),
//     past elements the other side does not have. So elements appended on
//     both sides come ours' first, then theirs', as do elements inserted at
//     one place on both sides. Order is the only thing that can make a clean
//     merge(ours, theirs) differ from merge(theirs, ours): when both sides
//     reordered, or both inserted at one place.
//
// Conflicts are reported with the path and the value on each side (absent on
// a side where the member or element does not exist). The merged tree holds
// ours' value at each conflicting path (nothing there when ours removed it).
//
// Resolution (MergeOptions), for each conflict, in this order:
//   1. rules: the first rule whose pattern matches the conflict's path
//      decides: kOurs or kTheirs resolve it, kReport keeps it a conflict and
//      stops there.
//   2. resolver: when no rule matched, the callback is asked; a value
//      resolves the conflict with that value, nullopt declines.
//   3. strategy: the default strategy decides (kReport: the conflict stays).
// A resolved conflict is not in `conflicts` but in `resolved`, with what was
// chosen and by whom. kOurs/kTheirs at a path that side removed removes it;
// a resolver cannot choose removal.
//
// Thread-safety: a pure function over an ObjectStore (itself thread-safe);
// the resolver is called on the calling thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/pointer_glob.h"
#include "gitstate/result.h"

namespace gitstate {

enum class MergeStrategy {
  kReport,  // leave the conflict: reported, the merged tree holds ours there
  kOurs,    // take ours' value (or absence)
  kTheirs,  // take theirs' value (or absence)
};

struct MergeRule {
  PointerGlob pattern;  // conflicts whose path matches
  MergeStrategy strategy = MergeStrategy::kReport;
};

struct KeyedArray {
  PointerGlob pattern;  // arrays whose path matches
  std::string key;      // the member identifying each element ("name", "id")
};

// Decides a conflict at `path` from the values of the three sides (nullopt:
// absent there). Returns the value to keep, or nullopt to decline. At the path
// of a keyed-array element the value must be an object with the element's
// key, else the merge fails with kInvalid.
using MergeResolver = std::function<std::optional<nlohmann::json>(
    const Path& path, const std::optional<nlohmann::json>& base,
    const std::optional<nlohmann::json>& ours, const std::optional<nlohmann::json>& theirs)>;

struct MergeOptions {
  MergeStrategy strategy = MergeStrategy::kReport;  // applies last
  std::vector<MergeRule> rules;                     // first match wins; applies first
  MergeResolver resolver;                           // when set, asked when no rule matched
  std::vector<KeyedArray> keyed_arrays;             // first match wins
};

struct Conflict {
  Path path;
  std::optional<nlohmann::json> base, ours, theirs;  // nullopt: absent on that side
};

enum class ResolvedWith {
  kOurs,      // ours' value (or absence), chosen by a rule or the strategy
  kTheirs,    // theirs' value (or absence), chosen by a rule or the strategy
  kResolver,  // the value the resolver returned
};

struct Resolution {
  Conflict conflict;  // what the sides held
  ResolvedWith with = ResolvedWith::kOurs;
  std::string rule;                     // pattern of the rule that chose; empty otherwise
  std::optional<nlohmann::json> value;  // what the merged state holds there; nullopt: absent
};

// A declared keyed array merged as a whole value, and why.
struct KeyedFallback {
  Path path;
  std::string reason;  // "element 2 of ours has no member 'name'", ...
};

// Work done by one merge, to show that its cost follows the change.
struct MergeStats {
  size_t trees_read = 0;         // trees (and buckets) read while listing theirs' changes
  size_t entries_compared = 0;   // entry pairs examined while listing theirs' changes
  size_t members_looked_up = 0;  // members of base, ours and theirs found by key
};

struct MergeResult {
  bool clean = true;                     // no conflict left (conflicts is empty)
  Oid tree;                              // the merged state (ours at each conflicting path)
  std::vector<Conflict> conflicts;       // sorted by path
  std::vector<Resolution> resolved;      // sorted by path
  std::vector<KeyedFallback> fallbacks;  // sorted by path
  MergeStats stats;
};

// Merges the state trees `ours` and `theirs` against their common ancestor
// `base` with the rules above. On success the merged tree's objects are in
// `store` (pending until flushed), conflicts or not.
//
// Failures write nothing to `store`: kNotFound when one of the trees or an
// object under a path the merge reads does not exist; kCorrupt when a tree or
// blob there is not gitstate's data model (a non-canonical blob, a misshapen
// fanout tree, a root that is not a tree); kInvalid when a resolver returns a
// value that cannot be stored there (non-finite number, too deep, an element
// without its key); kIO from the store.
Result<MergeResult> merge_trees(ObjectStore& store, const Oid& base, const Oid& ours,
                                const Oid& theirs, const MergeOptions& options = {});

}  // namespace gitstate
