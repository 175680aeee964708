// Building a compressed pack with libgit2's pack builder and installing it
// durably in objects/pack: what consolidation (pack_consolidate.cc) and
// garbage collection (object_gc.cc) share.
//
// The pack is written into a scratch directory inside objects/pack (named
// tmp_consolidate_*, which git ignores and remove_stale_temporaries cleans),
// then its .pack and .idx are fsync'ed and renamed into place, .pack first,
// and the directory is synced: once install_built_pack() returns, the pack
// survives power loss, so files it replaces may be removed.
//
// Thread-safety: functions on a caller-owned libgit2 repository and paths.
#pragma once

#include <git2.h>

#include <atomic>
#include <functional>
#include <string>

#include "gitstate/result.h"

namespace gitstate {

// A tmp_consolidate_* directory in a pack directory, removed with its
// contents when destroyed.
class ScratchDir {
 public:
  // kIO when the directory cannot be created.
  static Result<ScratchDir> create(const std::string& pack_dir);
  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDir& operator=(ScratchDir&&) = delete;
  ~ScratchDir();
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

struct BuiltPack {
  std::string name;  // "pack-<hex>"
  size_t objects = 0;
};

// Runs `insert` on a new pack builder for `repo` (it adds objects with
// git_packbuilder_insert and returns their errors), then writes the pack,
// zlib and delta compressed, into `out_dir`. `threads`: 0 lets libgit2 use
// every CPU. Gives up with kIO "<what> cancelled" soon after `cancel`
// becomes true. kIO / kCorrupt when an object cannot be read or the pack
// cannot be written.
Result<BuiltPack> build_pack(git_repository* repo,
                             const std::function<Status(git_packbuilder*)>& insert,
                             const std::string& out_dir, unsigned threads,
                             const std::atomic<bool>& cancel, const std::string& what);

// Syncs the pack `name` built in `scratch`, renames it (.pack, then .idx)
// into `pack_dir` and syncs the directory. kIO on failure; then no .idx was
// installed unless an identical pack was already there.
Status install_built_pack(const ScratchDir& scratch, const std::string& name,
                          const std::string& pack_dir);

}  // namespace gitstate
