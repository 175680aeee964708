// Reachability for garbage collection: the roots of a repository (refs,
// HEAD, reflog entries) and the set of objects reachable from given roots,
// walked through a libgit2 repository.
//
// Thread-safety: one Reachability per thread, on a repository handle that
// thread owns.
#pragma once

#include <git2.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

struct Root {
  std::string what;  // "refs/heads/main", "HEAD", "reflog of refs/heads/main"
  Oid id;
  bool strict = true;  // a missing object is corruption (a ref), not skipped (a reflog entry)
};

// Every ref (resolved; a dangling symbolic ref is skipped), HEAD unless
// unborn, and both ids of every entry of every reflog under <repo>/logs.
// kCorrupt or kIO (as libgit2 reports it) when a ref or a reflog cannot be read.
Result<std::vector<Root>> list_roots(git_repository* repo);

struct Reached {
  Oid id;
  git_object_t type = GIT_OBJECT_INVALID;
  std::string name;  // the tree entry name it was found under (for delta search), or ""
};

class Reachability {
 public:
  // kIO when the repository's object database cannot be opened.
  static Result<Reachability> create(git_repository* repo);
  Reachability(Reachability&& other) noexcept;
  Reachability& operator=(Reachability&&) = delete;
  ~Reachability();

  // Marks `id` and everything it refers to (commit: tree and parents; tree:
  // entries other than submodule commits; tag: its target), skipping what is
  // marked already. A missing object reached from a `strict` root is kCorrupt
  // naming the object and `what`; otherwise it is skipped. An object that
  // exists but cannot be read or parsed is kCorrupt or kIO (git_status()).
  Status mark(const Oid& id, bool strict, const std::string& what);

  bool contains(const Oid& id) const { return index_.count(id) != 0; }
  // True when `id` is among the first `count` objects marked.
  bool marked_within(const Oid& id, size_t count) const {
    auto it = index_.find(id);
    return it != index_.end() && it->second < count;
  }
  size_t size() const { return objects_.size(); }
  // The objects marked, in marking order: everything marked before a call
  // to mark() comes first.
  const std::vector<Reached>& objects() const { return objects_; }

 private:
  Reachability(git_repository* repo, git_odb* odb) : repo_(repo), odb_(odb) {}

  git_repository* repo_;
  git_odb* odb_;
  std::unordered_map<Oid, size_t, OidHash> index_;
  std::vector<Reached> objects_;
};

}  // namespace gitstate
