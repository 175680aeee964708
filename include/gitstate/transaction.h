// Transaction: an atomic change to the state of one branch, committed as one git commit.
//
// A transaction begins at the branch's head (Repository::begin). Each
// operation (set, remove, an RFC 6902 patch, an RFC 7386 merge patch) is
// applied at once to the transaction's own view of the state, so later
// operations and get() see earlier ones. Paths are JSON Pointers (RFC 6901).
// Objects are trees and scalars are blobs; an array is one blob, so an
// operation inside an array reads, changes and rewrites the whole array value.
//
// Atomicity: the first operation that fails (a `test` that fails, a missing
// target, a path into a scalar, a missing parent on `add`, a malformed pointer
// or operation) fails the whole transaction. Its error names the operation's
// index (0-based, counted over the whole transaction) and path, for example
// "operation 3 (add /a/b): not found: parent /a does not exist". From then on
// every call, commit() included, returns that error, and the branch is never
// changed. Error codes of operations: kInvalid (malformed pointer or
// operation, path into a scalar, array index out of range for add/set, a
// state root that is not an object), kNotFound (missing target of
// remove/replace/move/copy, missing parent of add), kConflict (a `test`
// whose value differs or whose target is missing).
//
// Commit: objects are written, flushed to disk with fdatasync, then the
// branch ref moves by compare-and-swap from the head the transaction began
// on. If another writer moved the branch meanwhile, the paths its commits
// changed are compared with the paths this transaction wrote or read (set,
// remove, patch targets, `test`/`move`/`copy` sources, get()): when none is
// equal to, a prefix of, or under another, the operations are re-applied on
// the new head and the swap retried (bounded retries with backoff);
// otherwise commit() returns kConflict naming the path. Nothing is ever
// overwritten silently. A commit that returned is durable (survives kill -9).
//
// Message format: the message (trimmed; a summary of the operations when
// empty), then, if there are tags, a blank line and one `State-Tag: <tag>`
// trailer per tag, as `git interpret-trailers` reads them.
//
// An empty delta (operations that leave the state as it was) is committed
// anyway, so every accepted write is in the audit trail; set
// CommitOptions::skip_empty to skip it instead.
//
// Thread-safety: a Transaction belongs to one thread at a time; several
// transactions on one Repository may run in parallel threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

struct TransactionState;
class Batch;

struct CommitOptions {
  // The commit message; empty: a summary of the operations ("set /a/b",
  // "3 operations: ..."). Must not contain NUL.
  std::string message;
  // Semantic tags, written as `State-Tag: <tag>` trailers in this order.
  // Each must be non-empty, one line, without leading or trailing spaces.
  std::vector<std::string> tags;
  // Default: Repository::default_identity() at the current time.
  std::optional<Signature> author;
  // Default: the author (same name, email and time).
  std::optional<Signature> committer;
  // When the operations change nothing: false commits anyway, true returns
  // the current head with `created == false`.
  bool skip_empty = false;
};

struct CommitOutcome {
  Oid commit;           // the new commit (or the unchanged head when skipped)
  Oid tree;             // its root tree
  bool created = true;  // false when skip_empty skipped an empty delta
  int rebases = 0;      // times the operations were re-applied on a moved head
};

class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) noexcept;
  ~Transaction();

  // The branch this transaction commits to ("main", not "refs/heads/main").
  const std::string& branch() const;
  // The head it began on; nullopt for an unborn branch.
  const std::optional<Oid>& base() const;

  // Sets the value at `pointer`, creating missing parent objects and
  // replacing an existing value ("" replaces the whole state, which must be
  // an object). Inside an array, an index below the size replaces that
  // element and the size (or "-") appends. Errors: see the header comment.
  Status set(std::string_view pointer, nlohmann::json value);

  // Removes the value at `pointer`. kNotFound when it does not exist;
  // kInvalid for "" (the root cannot be removed).
  Status remove(std::string_view pointer);

  // Applies an RFC 6902 JSON Patch (an array of operations: add, remove,
  // replace, move, copy, test) with the RFC's exact semantics, including
  // array indices and "-". kInvalid when `patch` is not an array of
  // well-formed operations; other errors as for each operation.
  Status patch(const nlohmann::json& patch);

  // Applies an RFC 7386 JSON Merge Patch to the whole state. `merge_patch`
  // must be an object (the state root stays an object); kInvalid otherwise.
  Status merge_patch(const nlohmann::json& merge_patch);

  // The value at `pointer` as this transaction sees it (its own operations
  // applied). The path counts as read: a concurrent change to it makes
  // commit() return kConflict. kInvalid / kNotFound as Repository::get.
  Result<nlohmann::json> get(std::string_view pointer);

  // Number of operations applied so far (a patch counts each of its operations).
  size_t operation_count() const;

  // Commits as described in the header comment. On success the transaction
  // is finished (further calls return kInvalid). Errors: the operation error
  // that failed the transaction; kInvalid for bad options (tag, message);
  // kConflict when a concurrent commit changed a path this transaction
  // wrote or read, or the retries ran out; kNotFound when the branch was
  // deleted meanwhile; kIO when writing failed. After an error nothing
  // changed on the branch.
  Result<CommitOutcome> commit(const CommitOptions& options = {});

 private:
  friend class Repository;
  friend class Batch;
  explicit Transaction(std::unique_ptr<TransactionState> state);
  std::unique_ptr<TransactionState> state_;
};

}  // namespace gitstate
