// History: who changed what and when — log, show, diff and blame over commits.
//
// A commit's delta is the difference between its tree and its first parent's
// (the empty state for a root commit), computed by walks that skip every
// subtree whose id is equal on both sides: the cost follows the size of the
// change, not of the state. Deltas are RFC 6902 JSON Patch documents whose
// paths are JSON Pointers; an array is one value, so a change inside an array
// appears as a `replace` of the whole array.
//
// Commit messages end with an optional trailer block (see transaction.h);
// CommitInfo::message is the message without it, `tags` the values of its
// `State-Tag` trailers, `trailers` every trailer of the block in order.
//
// Thread-safety: all functions may be called from several threads at once
// on one Repository. Results are plain values owned by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct CommitInfo {
  Oid id;
  Oid tree;
  std::vector<Oid> parents;
  Signature author;
  Signature committer;
  std::string message;  // without the trailer block; ends without a newline
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> trailers;
};

// The commit `id`, parsed. kNotFound when absent, kCorrupt when not a commit.
Result<CommitInfo> read_commit_info(const Repository& repo, const Oid& id);

struct LogOptions {
  std::string rev;                      // where the walk starts; empty: the current branch
  std::string path;                     // JSON Pointer; empty: every commit
  std::string author;                   // substring of the author's name or email
  std::string tag;                      // exact State-Tag value
  std::optional<int64_t> since, until;  // committer time bounds, inclusive
  bool first_parent = false;            // follow first parents only
  size_t max_count = 0;                 // 0: no limit
};

// Visits the commits reachable from `options.rev`, newest first: ordered by
// committer time, never a parent before any of its children (git log
// --date-order); equal times keep the walk's discovery order, in which a
// commit's first parent comes before its other parents. The filters
// keep commits that match all of them; the path filter keeps commits whose
// delta from their first parent (root commit: from the empty state) changes
// the value at `path` or anything under it. `visit` returns false to stop.
// kInvalid / kNotFound for a bad revision or path syntax; kCorrupt / kIO
// when the history cannot be read.
Status walk_log(const Repository& repo, const LogOptions& options,
                const std::function<bool(const CommitInfo&)>& visit);

// walk_log() collected into a vector.
Result<std::vector<CommitInfo>> log(const Repository& repo, const LogOptions& options = {});

struct ShowResult {
  CommitInfo commit;
  nlohmann::json patch;  // RFC 6902, from the first parent (or {}) to the commit
};

// A commit's metadata and delta. Errors as Repository::resolve.
Result<ShowResult> show(const Repository& repo, std::string_view rev);

// The RFC 6902 patch turning the state at `from` into the state at `to`,
// limited to `path` (empty: everything; paths in the patch stay absolute).
// A path missing on one side appears as add/remove; missing on both gives
// an empty patch. kInvalid / kNotFound for bad revisions or pointer syntax.
Result<nlohmann::json> diff(const Repository& repo, std::string_view from, std::string_view to,
                            std::string_view path = {});

struct BlameEntry {
  std::string path;  // JSON Pointer of the leaf
  Oid commit;        // the last commit that changed it
  Signature author;  // that commit's author
};

// For every leaf under `path` at `rev` (a leaf is a scalar, an array or an
// empty object; `path` itself when it names one), the commit that last
// changed it along the first-parent history: the newest commit whose tree
// differs from its first parent's at that leaf. The walk descends only into
// subtrees whose id changed. Entries come in path order. kNotFound when
// `path` does not exist at `rev`; kInvalid for bad syntax.
Result<std::vector<BlameEntry>> blame(const Repository& repo, std::string_view path,
                                      std::string_view rev = {});

}  // namespace gitstate
