// GitDir: the bare git repository that holds a gitstate store.
//
// A gitstate repository is an ordinary bare git repository whose config records
// the format (`gitstate.format = 1`), so a later format can be detected and an
// arbitrary git repository is not mistaken for a store. HEAD names the default
// branch (refs/heads/main), unborn until the first commit. Stock git reads and
// checks the repository as it is (`git log`, `git fsck`).
//
// A GitDir is shared (std::shared_ptr) by the object store, refs and merge-base
// code of one process; other processes may open the same path at the same time
// (refs are compare-and-swap, packs are installed atomically).
//
// Thread-safety: every method may be called from any thread. The handle owns a
// libgit2 repository, which allows one thread at a time, so all libgit2 use
// through a GitDir is serialised by an internal mutex.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gitstate/result.h"

namespace gitstate {

class GitDir {
 public:
  // The repository format this version reads and writes.
  static constexpr int kFormat = 1;

  // Creates a bare repository at `path` (creating missing parent directories),
  // with HEAD -> refs/heads/main (unborn), `gitstate.format = 1` and reflogs on
  // (`core.logAllRefUpdates = true`). An existing empty directory is used; an
  // existing bare git repository without gitstate.format is adopted (its HEAD
  // and contents are left alone). kInvalid when `path` is a non-empty directory
  // or a file that is not a git repository, a non-bare repository, or already a
  // gitstate repository ("already a gitstate repository"); kIO when the
  // directory cannot be created.
  static Result<std::shared_ptr<GitDir>> init(const std::string& path);

  // Opens the gitstate repository at exactly `path` (no search upwards).
  // kNotFound when there is no git repository there; kInvalid when it is not
  // bare, or when gitstate.format is missing or not a format this version
  // supports (the message says which).
  static Result<std::shared_ptr<GitDir>> open(const std::string& path);

  ~GitDir();
  GitDir(const GitDir&) = delete;
  GitDir& operator=(const GitDir&) = delete;

  // The absolute path of the repository directory, without a trailing slash.
  const std::string& path() const;

  // The value of config `key` ("section.name" or "section.sub.name") as git
  // would read it for this repository (repository, global and system files;
  // the repository's wins), or nullopt when unset. Sees changes made by other
  // processes. kInvalid for a malformed key.
  Result<std::optional<std::string>> config_get(const std::string& key);

  // Every value of the multi-valued config `key`, in the order git reads
  // them (system, global, then the repository's file; each file's in file
  // order); empty when unset. kInvalid for a malformed key.
  Result<std::vector<std::string>> config_get_all(const std::string& key);

  // Sets `key` in the repository's own config file (atomically, under git's
  // config lock). kInvalid for a malformed key; kConflict when another writer
  // holds the config lock; kIO when the file cannot be written.
  Status config_set(const std::string& key, const std::string& value);

  struct Impl;

 private:
  explicit GitDir(std::unique_ptr<Impl> impl);
  friend struct GitDirAccess;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gitstate
