// consolidate_packs(): merges small packs into one compressed pack, off the
// commit path. See pack_backend.h for the contract.

#include <algorithm>

#include "file_io.h"
#include "git_dir_internal.h"
#include "git_error.h"
#include "gitstate/plumbing/file_lock.h"
#include "gitstate/plumbing/pack_backend.h"
#include "pack_build.h"
#include "pack_consolidate_internal.h"
#include "pack_dir.h"
#include "pack_index.h"

namespace gitstate {

namespace {
constexpr uint64_t kGeometricFactor = 2;

// How many of `sizes` (ascending) to merge, as `git repack --geometric=2`
// decides: the largest packs that already form a progression (each at least
// twice the one below) stay, unless the merged small ones would outgrow them;
// then enough more are merged that at most `keep_at_most` packs remain.
size_t packs_to_merge(const std::vector<uint64_t>& sizes, size_t keep_at_most) {
  size_t n = sizes.size();
  size_t split = n - 1;
  while (split > 0 && sizes[split] >= kGeometricFactor * sizes[split - 1]) --split;
  if (split > 0) ++split;
  uint64_t merged = 0;
  for (size_t i = 0; i < split; ++i) merged += sizes[i];
  while (split < n && sizes[split] < kGeometricFactor * merged) merged += sizes[split++];
  // The merged pack counts as one of the packs that remain.
  while (split < n && n - split + 1 > keep_at_most) ++split;
  return std::max<size_t>(split, std::min<size_t>(n, 2));
}

// Writes every object of `packs` into one pack in `out_dir`, reading
// through `repo`, a private repository handle.
Result<BuiltPack> build_merged_pack(git_repository* repo, const std::vector<PackInfo>& packs,
                                    const std::string& out_dir, const std::atomic<bool>& cancel) {
  auto insert = [&](git_packbuilder* builder) -> Status {
    for (const auto& pack : packs) {
      GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> ids, read_pack_index_ids(pack.base + ".idx"));
      for (const Oid& id : ids) {
        if (cancel.load(std::memory_order_relaxed)) return io_error("consolidation cancelled");
        git_oid oid = to_git_oid(id);
        GITSTATE_RETURN_IF_ERROR(git_status(git_packbuilder_insert(builder, &oid, nullptr),
                                            "add " + id.hex() + " to merged pack"));
      }
    }
    return Status::ok();
  };
  // One thread: the machine is shared; this is background work.
  return build_pack(repo, insert, out_dir, 1, cancel, "consolidation");
}
}  // namespace

Result<ConsolidationStats> consolidate_packs(GitDir& dir, size_t max_packs,
                                             const std::atomic<bool>& cancel) {
  const std::string& pack_dir_path = pack_dir(dir);
  const std::string& repo_path = GitDirAccess::impl(dir).path;
  ConsolidationStats stats;
  // One consolidation at a time; a busy lock means another one is running.
  GITSTATE_ASSIGN_OR_RETURN(std::optional<FileLock> lock,
                            FileLock::try_acquire(repo_path + "/gitstate-consolidate.lock"));
  if (!lock) return stats;

  GITSTATE_ASSIGN_OR_RETURN(std::vector<PackInfo> all,
                            list_packs(pack_dir_path, /*with_sizes=*/true));
  std::vector<PackInfo> packs;
  for (auto& p : all)
    if (!p.keep) packs.push_back(std::move(p));
  stats.packs_before = packs.size();
  if (packs.size() <= max_packs || packs.empty()) return stats;

  std::sort(packs.begin(), packs.end(),
            [](const PackInfo& a, const PackInfo& b) { return a.bytes < b.bytes; });
  std::vector<uint64_t> sizes;
  for (const auto& p : packs) sizes.push_back(p.bytes);
  size_t merge = packs_to_merge(sizes, std::max<size_t>(1, max_packs / 2));
  packs.resize(merge);

  // A repository handle of its own: the GitDir stays free for readers and
  // ref updates while packs are built and synced.
  GITSTATE_ASSIGN_OR_RETURN(RepositoryPtr repo, open_own_repository(dir));
  GITSTATE_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create(pack_dir_path));
  GITSTATE_ASSIGN_OR_RETURN(BuiltPack built,
                            build_merged_pack(repo.get(), packs, scratch.path(), cancel));

  // The new pack reaches stable storage before any old one goes away.
  GITSTATE_RETURN_IF_ERROR(install_built_pack(scratch, built.name, pack_dir_path));
  std::string to = pack_dir_path + "/" + built.name;
  for (const auto& p : packs)
    if (p.base != to) GITSTATE_RETURN_IF_ERROR(remove_pack(p.base));
  stats.packs_merged = packs.size();
  stats.objects = built.objects;
  // Forget the removed packs in this process (libgit2 keeps probing them otherwise).
  RepoGuard guard(dir);
  GITSTATE_RETURN_IF_ERROR(guard.reopen_odb());
  return stats;
}

Result<ConsolidationStats> consolidate_packs(GitDir& dir, size_t max_packs) {
  static const std::atomic<bool> kNever{false};
  return consolidate_packs(dir, max_packs, kNever);
}

}  // namespace gitstate
