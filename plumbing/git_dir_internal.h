// What plumbing code needs from a GitDir that the public header hides: the
// libgit2 repository (only under the handle's lock) and the on-disk layout.
//
// RepoGuard is the only way to reach the git_repository: it holds the GitDir's
// mutex for its lifetime, so libgit2 is used by one thread at a time.
#pragma once

#include <git2.h>
#include <git2/sys/repository.h>

#include <memory>
#include <mutex>
#include <string>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "journal.h"

namespace gitstate {

struct GitDir::Impl {
  Impl();   // git_libgit2_init()
  ~Impl();  // frees the repository, then git_libgit2_shutdown()
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::mutex mu;
  git_repository* repo = nullptr;
  std::string path;      // absolute, no trailing slash
  std::string pack_dir;  // <path>/objects/pack
  // The commit journal; null when it cannot be opened (a read-only
  // repository), and then journal_error says why.
  std::unique_ptr<Journal> journal;
  Status journal_error;

  // The journal, or journal_error when there is none.
  Result<Journal*> writable_journal() {
    if (!journal) return journal_error;
    return journal.get();
  }
};

struct RepositoryFree {
  void operator()(git_repository* repo) const { git_repository_free(repo); }
};
using RepositoryPtr = std::unique_ptr<git_repository, RepositoryFree>;

// A libgit2 repository of the caller's own on `dir`'s directory, for long
// work (transfers, consolidation, gc) that must not hold the GitDir's lock.
// kIO / kNotFound when it cannot be opened.
Result<RepositoryPtr> open_own_repository(GitDir& dir);

// Replaces `impl`'s object database with a freshly opened one (see
// RepoGuard::reopen_odb). The caller holds impl.mu or is its only user.
Status reopen_odb_of(GitDir::Impl& impl);

struct GitDirAccess {
  static GitDir::Impl& impl(GitDir& dir) { return *dir.impl_; }
};

// Exclusive use of a GitDir's libgit2 repository while alive.
class RepoGuard {
 public:
  explicit RepoGuard(GitDir& dir) : impl_(GitDirAccess::impl(dir)), lock_(impl_.mu) {}

  git_repository* repo() const { return impl_.repo; }
  // The repository's object database, borrowed: valid while this guard holds
  // the lock and nobody replaces it (reopen_odb). kIO if libgit2 cannot load it.
  Result<git_odb*> odb() const;
  // Replaces the object database with a freshly opened one, which forgets
  // packs that other processes deleted (libgit2 only ever adds packs on
  // refresh). kIO on failure (the old database stays).
  Status reopen_odb();

  // Releases the lock (e.g. while sleeping before a retry) and takes it back.
  void unlock() { lock_.unlock(); }
  void lock() { lock_.lock(); }

 private:
  GitDir::Impl& impl_;
  std::unique_lock<std::mutex> lock_;
};

inline git_oid to_git_oid(const Oid& id) {
  git_oid out;
  git_oid_fromraw(&out, id.bytes.data());
  return out;
}

inline Oid from_git_oid(const git_oid* id) { return Oid::from_raw(id->id); }

// <repository>/objects/pack. Constant for the life of the GitDir.
inline const std::string& pack_dir(GitDir& dir) { return GitDirAccess::impl(dir).pack_dir; }

}  // namespace gitstate
