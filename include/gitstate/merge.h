// Merging branches: the three-way merge of a revision into a branch, on the
// commit graph (docs/merge.md).
//
// merge() finds the merge bases of the branch head ("ours") and the source
// ("theirs") in the commit graph (merge_base.h). When the source is already
// in the branch's history, nothing changes. When the branch head is an
// ancestor of the source, the branch fast-forwards to it (unless no_ff).
// Otherwise the states merge with merge_trees() (tree_merge.h) against the
// base: with several merge bases (criss-cross history) against a virtual
// base, the bases merged pairwise as git's recursive strategy does, taking
// ours at any conflict inside the virtual base; with none, against `{}`. A
// clean merge is committed as a merge commit whose first parent is the branch
// head and whose second is the source, with the message "Merge <source> into
// <branch>" unless one is given.
//
// A merge that stops at conflicts (strategy kReport) is recorded under
// refs/gitstate/merge/<branch> (format: docs/merge.md) and survives the
// process: stopped_merge() lists it, resolve_conflict() settles conflicts one
// by one (from any process, later), continue_merge() commits it once none is
// left, abort_merge() drops it. While it exists, merge(), revert() and
// cherry_pick() on that branch are refused (kConflict).
//
// Conflicts are resolved, in this order, by the per-path rules and keyed
// arrays of the repository's git configuration (`gitstate.mergeRule` =
// "GLOB ours|theirs|fail", `gitstate.keyedArray` = "GLOB KEY", multi-valued,
// first match wins), the resolver callback, then the strategy. With
// conflicts left (strategy kReport), the branch does not move and the outcome
// lists them.
//
// The branch moves only by compare-and-swap under the repository's writer
// lock (the commit engine's publishing, docs/concurrency.md). When another
// writer moved it during the merge, the merge starts over on the new head
// (bases, conflicts, rules and the resolver asked again), up to 8 attempts in
// all; only a branch that moves under every attempt gives kModified, and
// that changes nothing. revert() and cherry_pick() do the same.
//
// Thread-safety: as Transaction::commit; the resolver runs on the calling
// thread, and again for each attempt.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/tree_merge.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct BranchMergeOptions {
  MergeStrategy strategy = MergeStrategy::kReport;  // kReport: stop at conflicts
  MergeResolver resolver;                           // asked when no configured rule matched
  bool no_ff = false;               // a merge commit even when a fast-forward would do
  std::string message;              // default: "Merge <source> into <branch>"
  std::vector<std::string> tags;    // State-Tag trailers, as CommitOptions::tags
  std::optional<Signature> author;  // default: Repository::default_identity(); also committer
};

enum class MergeKind {
  kUpToDate,     // the source is already in the branch's history: nothing changed
  kFastForward,  // the branch moved to the source
  kMerged,       // a merge commit was made
  kConflicted,   // conflicts remain: nothing changed
};

struct BranchMergeOutcome {
  MergeKind kind = MergeKind::kUpToDate;
  Oid head;                          // the branch head after the merge
  Oid source;                        // the commit merged
  std::vector<Oid> bases;            // the merge bases found (sorted)
  std::vector<Conflict> conflicts;   // kConflicted: the conflicts left, sorted by path
  std::vector<Resolution> resolved;  // conflicts settled by rules, resolver or strategy
};

// Merges revision `source` into `branch` (empty: the current branch) as
// described above. On success the outcome says what happened; a conflicted
// merge is a success with kind kConflicted. Failures change nothing:
// kInvalid for a malformed revision, branch name or configured rule (the
// message quotes the config value), or a resolver value that cannot be
// stored; kNotFound for an unknown revision or branch (an unborn branch too);
// kModified when the branch moved during the merge; kIO / kCorrupt when the
// repository cannot be read or written.
// A conflicted merge records the stopped merge (above) and returns kConflicted.
Result<BranchMergeOutcome> merge(const Repository& repo, std::string_view source,
                                 std::string_view branch = {},
                                 const BranchMergeOptions& options = {});

// The JSON form of a conflict, as the stopped-merge record and the CLI write
// it: {"path": POINTER, "base": V, "ours": V, "theirs": V}, a side left out
// where it holds no value. Never fails.
nlohmann::json conflict_json(const Conflict& conflict);

// Applies the change that commit `rev` made (against its first parent; a
// root commit against `{}`) to `branch` (empty: the current branch): a
// three-way merge with base = the parent's state, theirs = rev's state,
// ours = the branch head, committed with one parent. Message: rev's message
// (without its trailers) and "(cherry picked from commit <id>)", unless
// options.message; options.no_ff does not apply. Conflicts stop it as a
// merge stops (operation "cherry-pick"; finish with continue_merge /
// abort_merge). kind is kMerged when a commit was made, kConflicted
// otherwise. Errors as merge().
Result<BranchMergeOutcome> cherry_pick(const Repository& repo, std::string_view rev,
                                       std::string_view branch = {},
                                       const BranchMergeOptions& options = {});

// Undoes the change that commit `rev` made, as cherry_pick() with the sides
// swapped: base = rev's state, theirs = its first parent's. Message:
// `Revert "<rev's subject>"`, a blank line, "This reverts commit <id>.",
// unless options.message. Operation "revert"; otherwise as cherry_pick().
Result<BranchMergeOutcome> revert(const Repository& repo, std::string_view rev,
                                  std::string_view branch = {},
                                  const BranchMergeOptions& options = {});

enum class Settle {
  kOurs,    // ours' value (or absence)
  kTheirs,  // theirs' value (or absence)
  kValue,   // the given value
};

struct Settlement {
  Path path;
  Settle with = Settle::kOurs;
  nlohmann::json value;  // kValue only
};

// A merge (or revert, or cherry-pick) stopped at conflicts.
struct StoppedMerge {
  std::string operation;  // "merge", "revert" or "cherry-pick"
  std::string branch;
  Oid head;                         // the branch head the merge started on (ours)
  Oid source;                       // the commit merged, reverted or picked
  std::string message;              // the message the commit will have
  std::vector<Conflict> open;       // conflicts not settled yet, sorted by path
  std::vector<Settlement> settled;  // settlements so far, in the order made
};

// The stopped merge on `branch` (empty: the current branch). kNotFound when
// none is stopped there; kInvalid for a malformed name; kCorrupt when the
// record is unreadable.
Result<StoppedMerge> stopped_merge(const Repository& repo, std::string_view branch = {});

// Settles the open conflict at `pointer` of the stopped merge on `branch`
// with ours', theirs' or `value`, recorded at once (compare-and-swap on the
// record). kNotFound when no merge is stopped there or no open conflict is at
// `pointer`; kInvalid for a malformed pointer or a value that cannot be
// stored (non-finite, too deep); kModified when the record changed meanwhile.
Status resolve_conflict(const Repository& repo, std::string_view branch, std::string_view pointer,
                        Settle with, const nlohmann::json& value = nullptr);

// Commits the stopped merge on `branch` once every conflict is settled: the
// merge is redone from the recorded sides with the settlements (and the
// configured rules) and committed as merge() would, then the record is
// dropped; returns the new head. kNotFound when no merge is stopped;
// kConflict while conflicts remain (the message lists them); kModified when
// the branch moved since the merge stopped (abort and merge again); kInvalid
// when a settled value cannot stand at its path (a keyed-array element
// without its key). Errors change nothing.
Result<Oid> continue_merge(const Repository& repo, std::string_view branch = {},
                           const std::optional<Signature>& author = std::nullopt);

// Drops the stopped merge on `branch`; the branch is untouched. kNotFound
// when none is stopped; kModified when the record changed meanwhile.
Status abort_merge(const Repository& repo, std::string_view branch = {});

}  // namespace gitstate
