// Repository: a state repository, the bare git directory that holds versioned JSON state.
//
// A Repository is a cheap handle: copies share one open repository (one object
// store, one parsed-tree cache, one git directory). A new repository has the
// branch `main`, HEAD pointing at it, and one root commit ("Initialize state")
// whose tree is the empty state `{}`, so every revision syntax, `show`, `diff`,
// `log` and `blame` work from the start. A repository whose HEAD branch has no
// commit yet (an "unborn" branch, e.g. made by another tool) reads as `{}` and
// its first transaction creates a root commit.
//
// Reads (`get`, `resolve`) walk from a revision's root tree along one path
// through the cache of parsed trees: they never materialise the rest of the
// state. Writes go through Transaction (transaction.h) or Batch (batch.h);
// history, branches and tags have their own headers (history.h, branches.h).
//
// Perspectives (perspective.h, docs/perspectives.md). A handle can be bound
// to a stored perspective with through() or open(path, perspective); every
// copy of a bound handle, and every Transaction, Batch and history call made
// with it, sees and may change only the perspective's visible paths:
//   - reads (get, state_tree, resolve, log, show, diff, blame) see the view of
//     each revision; a commit whose view equals its first parent's (it changes
//     nothing visible) does not exist through the perspective: a revision that
//     names it by id is not found, and a ref or a `~`/`^` step that lands on
//     it reads as its nearest first-parent ancestor that changes something
//     visible (a root commit always counts as one). Parents of listed commits
//     are mapped the same way. A hidden path reads exactly as an absent one.
//   - writes are applied to the view and to the full state; an operation
//     whose target cannot hold anything visible, or that would add, change or
//     remove a hidden path (or copy hidden data into a visible one), fails
//     the transaction with kPermissionDenied naming the operation's path, and
//     nothing is committed.
//   - merge, revert, cherry-pick and the branch and tag calls (branches.h)
//     refuse a bound handle (kPermissionDenied).
// There is no call that unbinds a handle; objects() and git_dir() are
// plumbing and see everything.
//
// Signing (docs/audit.md). Every commit a handle makes on a branch (through
// Transaction, Batch, merge, continue_merge, cherry_pick, revert and
// project_history) is signed with the handle's signing key when it has one:
// an SSHSIG Ed25519 signature in the commit's `gpgsig` header, which
// `git verify-commit` accepts. The key is the one given to signing_with(),
// else the private key file named by the git configuration
// `gitstate.signingKey` (a leading `~/` is the home directory, a relative
// path is relative to the repository directory), else none. A configured key
// that cannot be loaded fails every commit (never an unsigned commit instead).
// Branches may require signed commits (verify.h).
//
// Thread-safety: a Repository (and its copies) may be used from several
// threads at once; reads run in parallel, ref updates are compare-and-swap,
// and commits from several threads or processes on one branch never lose an
// update (see docs/concurrency.md). A Transaction or Batch belongs to one
// thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/plumbing/ssh_signature.h"
#include "gitstate/result.h"

namespace gitstate {

class GitDir;
class ObjectStore;
class Transaction;
struct RepositoryState;
struct ResolvedPerspective;

struct InitOptions {
  // Author and committer of the root commit; default: the identity of a new
  // repository ("gitstate <gitstate@localhost>"), at the current time.
  std::optional<Signature> author;
  // Signs the root commit when set.
  std::shared_ptr<const SshSigningKey> signing_key;
};

class Repository {
 public:
  // Creates a bare state repository at `path` (created if missing, must be
  // empty if present; an existing bare git repository is adopted) with
  // branch `main` holding the empty state `{}`. Fails with kInvalid when
  // `path` already holds a gitstate repository or other files, kIO when the
  // file system refuses.
  static Result<Repository> init(const std::string& path, const InitOptions& options = {});

  // Opens the state repository at `path`. kNotFound when there is none,
  // kInvalid when it is a git repository of an unknown gitstate format,
  // kIO / kCorrupt when it cannot be read.
  static Result<Repository> open(const std::string& path);

  // Opens the repository at `path` bound to the stored perspective
  // `perspective` (see through()). Errors as open() and through().
  static Result<Repository> open(const std::string& path, const std::string& perspective);

  // A handle on the same repository bound to the stored perspective `name`
  // as it is defined now (later changes to the definition do not affect the
  // handle). kNotFound when `name` (or a perspective it extends) is not
  // defined; kInvalid for a malformed name, a broken definition, or a handle
  // that is already bound (a bound handle cannot be rebound).
  Result<Repository> through(const std::string& name) const;

  // A handle on the same repository (bound to the same perspective, if any)
  // whose commits are signed with `key`; null: unsigned, whatever the
  // configuration says. Never fails.
  Repository signing_with(std::shared_ptr<const SshSigningKey> key) const;

  // The key this handle's commits are signed with (see "Signing" above);
  // null when none. kInvalid / kNotFound / kIO (naming
  // `gitstate.signingKey`) when the configured key cannot be loaded.
  Result<std::shared_ptr<const SshSigningKey>> signing_key() const;

  // The perspective this handle is bound to; null for an unbound handle.
  const ResolvedPerspective* perspective() const { return perspective_.get(); }

  // The repository's directory, as given to init/open.
  const std::string& path() const;

  // The commit a revision names (syntax in revision.h). An empty `rev` means
  // the current branch (HEAD). kInvalid for bad syntax or an ambiguous
  // abbreviated id (the message lists the candidates), kNotFound for an
  // unknown name, a missing parent, or an unborn current branch; the message
  // names the revision.
  Result<Oid> resolve(std::string_view rev = {}) const;

  // The root tree of the state at `rev` (empty `rev`: the current branch).
  // An unborn current branch gives the empty tree. Errors as resolve().
  Result<Oid> state_tree(std::string_view rev = {}) const;

  // The JSON value at `pointer` (RFC 6901; "" is the whole state) at `rev`
  // (empty: the current branch), read without materialising anything else.
  // kInvalid for a malformed pointer or revision, kNotFound when the path or
  // revision does not exist (the message names it).
  Result<nlohmann::json> get(std::string_view pointer, std::string_view rev = {}) const;

  // Begins a transaction on `branch` (empty: the current branch), at its
  // current head. kInvalid for a malformed branch name, kNotFound when the
  // branch does not exist (an unborn current branch is allowed: the commit
  // creates it). The Transaction keeps this repository open.
  Result<Transaction> begin(std::string_view branch = {}) const;

  // The branch HEAD names ("main" in a new repository), whether or not it has
  // commits. kInvalid when HEAD is detached or names no refs/heads/* branch.
  Result<std::string> current_branch() const;

  // The identity used when a commit names none: `user.name` / `user.email`
  // from the repository's git config when both are set, otherwise
  // "gitstate <gitstate@localhost>"; time is now (UTC).
  Signature default_identity() const;

  // Plumbing access for tools (the `gitstate` plumbing commands): the object
  // store and git directory this repository uses. Both are thread-safe; the
  // store's pending objects are visible to reads at once and reach disk with
  // the next flush.
  ObjectStore& objects() const;
  std::shared_ptr<GitDir> git_dir() const;

  // Internal: the state shared by the porcelain (porcelain/repository_internal.h).
  using SignerChoice = std::optional<std::shared_ptr<const SshSigningKey>>;
  explicit Repository(std::shared_ptr<RepositoryState> state,
                      std::shared_ptr<const ResolvedPerspective> perspective = nullptr,
                      SignerChoice signer = std::nullopt)
      : state_(std::move(state)),
        perspective_(std::move(perspective)),
        signer_(std::move(signer)) {}
  const std::shared_ptr<RepositoryState>& state() const { return state_; }

 private:
  std::shared_ptr<RepositoryState> state_;
  std::shared_ptr<const ResolvedPerspective> perspective_;
  SignerChoice signer_;  // nullopt: the configured key
};

}  // namespace gitstate
