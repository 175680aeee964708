// Batch: many commits on one branch with one flush and one ref update, for bulk work.
//
// A Batch begins at a branch's head and keeps a working head in memory.
// Transactions begun on the batch (Batch::begin) start at that working head,
// and their commit() appends a commit to the batch instead of touching the
// disk or the ref: it returns the new commit's id, pending. finish() makes
// every pending object durable with one flush (fdatasync), then moves the
// branch by one compare-and-swap from the head the batch began on. If the
// branch moved meanwhile, the batch's transactions are re-applied on the new
// head when none of their paths collides with what the other commits changed
// (the rule of transaction.h), otherwise finish() returns kConflict. Either
// every commit of the batch lands or none does.
//
// import_json_lines() is the bulk import (`gitstate import`): one commit per
// line of JSON Lines input, all in one batch.
//
// Thread-safety: a Batch and its transactions belong to one thread at a time.
// A Batch must outlive the transactions begun on it.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"
#include "gitstate/transaction.h"

namespace gitstate {

struct BatchState;

class Batch {
 public:
  // Begins a batch on `branch` (empty: the current branch) at its head.
  // kInvalid for a malformed branch name, kNotFound for a missing branch (an
  // unborn current branch is allowed).
  static Result<Batch> start(const Repository& repo, std::string_view branch = {});

  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) noexcept;
  ~Batch();  // an unfinished batch is abandoned: the branch does not move

  const std::string& branch() const;
  // The batch's working head: its last commit, or the head it began on
  // (nullopt for an unborn branch with no commit yet).
  const std::optional<Oid>& head() const;
  // Number of commits made in the batch so far.
  size_t size() const;

  // A transaction at the working head whose commit() appends to this batch
  // (CommitOutcome::commit is then pending until finish()). Transactions are
  // committed one after the other: committing one whose base is no longer
  // the working head returns kInvalid. kInvalid after finish().
  Result<Transaction> begin();

  // Flushes (durably) and moves the branch; returns the final head. An empty
  // batch returns the current head without writing (kNotFound when the
  // branch is unborn). kConflict / kNotFound / kIO as Transaction::commit;
  // on error the branch is unchanged. Afterwards the batch is finished.
  Result<Oid> finish();

 private:
  friend class Transaction;
  explicit Batch(std::unique_ptr<BatchState> state);
  std::unique_ptr<BatchState> state_;
};

struct ImportOptions {
  std::string branch;  // empty: the current branch
  // Author of lines without "author"; default Repository::default_identity().
  std::optional<Signature> default_author;
};

struct ImportResult {
  Oid head;            // the branch head after the import
  size_t commits = 0;  // commits created (one per non-blank line)
};

// Reads JSON Lines from `in`, one commit per non-blank line:
//   {"patch": [RFC 6902 ops], "message": "...", "author": "Name <email>",
//    "tags": ["..."], "time": UNIX_SECONDS}
// "patch" is required (or "merge_patch": an RFC 7386 object instead); the
// others are optional ("time" sets author and committer time; default now).
// Unknown members are errors. All lines land in one batch (one flush, one ref
// update). Any bad line (malformed JSON, a failing operation, a bad author)
// rejects the whole import with nothing changed: kInvalid / kNotFound /
// kConflict with a message starting "line N: ". Empty input: the current
// head, zero commits (kNotFound on an unborn branch).
Result<ImportResult> import_json_lines(const Repository& repo, std::istream& in,
                                       const ImportOptions& options = {});

}  // namespace gitstate
