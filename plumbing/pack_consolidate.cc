// consolidate_packs(): merges small packs into one compressed pack, off the
// commit path. See pack_backend.h for the contract.

#include <algorithm>
#include <filesystem>

#include "file_io.h"
#include "git_dir_internal.h"
#include "git_error.h"
#include "gitstate/plumbing/file_lock.h"
#include "gitstate/plumbing/pack_backend.h"
#include "pack_consolidate_internal.h"
#include "pack_dir.h"
#include "pack_index.h"

namespace gitstate {

namespace {
namespace fs = std::filesystem;

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

// A tmp_consolidate_* directory in objects/pack, removed with its contents.
class TempDir {
 public:
  static Result<TempDir> create(const std::string& pack_dir) {
    std::string path = pack_dir + "/tmp_consolidate_XXXXXX";
    if (!::mkdtemp(path.data())) return errno_status("create directory in " + pack_dir);
    return TempDir(std::move(path));
  }
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Status rename_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_status("rename " + from + " to " + to);
  return Status::ok();
}

struct RepoFree {
  void operator()(git_repository* repo) const { git_repository_free(repo); }
};

int cancel_progress(const std::atomic<bool>& cancel) {
  return cancel.load(std::memory_order_relaxed) ? -1 : 0;
}

// Writes every object of `packs` into one pack in `out_dir` with libgit2's
// pack builder (zlib, delta compression), reading through `repo`, a private
// repository handle. Returns the new pack's base name ("pack-<hex>") and its
// object count.
Result<std::pair<std::string, size_t>> build_merged_pack(git_repository* repo,
                                                         const std::vector<PackInfo>& packs,
                                                         const std::string& out_dir,
                                                         const std::atomic<bool>& cancel) {
  git_packbuilder* builder = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_packbuilder_new(&builder, repo), "start pack builder"));
  std::unique_ptr<git_packbuilder, void (*)(git_packbuilder*)> owner(builder, git_packbuilder_free);
  git_packbuilder_set_threads(builder, 1);  // the machine is shared; this is background work
  auto on_build = [](int, uint32_t, uint32_t, void* payload) {
    return cancel_progress(*static_cast<const std::atomic<bool>*>(payload));
  };
  auto on_index = [](const git_indexer_progress*, void* payload) {
    return cancel_progress(*static_cast<const std::atomic<bool>*>(payload));
  };
  void* payload = const_cast<std::atomic<bool>*>(&cancel);
  git_packbuilder_set_callbacks(builder, on_build, payload);
  for (const auto& pack : packs) {
    GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> ids, read_pack_index_ids(pack.base + ".idx"));
    for (const Oid& id : ids) {
      if (cancel_progress(cancel) != 0) return io_error("consolidation cancelled");
      git_oid oid = to_git_oid(id);
      GITSTATE_RETURN_IF_ERROR(git_status(git_packbuilder_insert(builder, &oid, nullptr),
                                          "add " + id.hex() + " to merged pack"));
    }
  }
  int rc = git_packbuilder_write(builder, out_dir.c_str(), 0, on_index, payload);
  if (rc < 0 && cancel_progress(cancel) != 0) return io_error("consolidation cancelled");
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "write merged pack"));
  return std::make_pair("pack-" + std::string(git_packbuilder_name(builder)),
                        git_packbuilder_object_count(builder));
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
  git_repository* raw = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(
      git_repository_open_ext(&raw, repo_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
      "open " + repo_path));
  std::unique_ptr<git_repository, RepoFree> repo(raw);

  GITSTATE_ASSIGN_OR_RETURN(TempDir scratch, TempDir::create(pack_dir_path));
  GITSTATE_ASSIGN_OR_RETURN(auto built,
                            build_merged_pack(repo.get(), packs, scratch.path(), cancel));
  const auto& [name, objects] = built;

  // The new pack reaches stable storage before any old one goes away.
  std::string from = scratch.path() + "/" + name, to = pack_dir_path + "/" + name;
  GITSTATE_RETURN_IF_ERROR(sync_file(from + ".pack"));
  GITSTATE_RETURN_IF_ERROR(sync_file(from + ".idx"));
  GITSTATE_RETURN_IF_ERROR(rename_file(from + ".pack", to + ".pack"));
  GITSTATE_RETURN_IF_ERROR(rename_file(from + ".idx", to + ".idx"));
  GITSTATE_RETURN_IF_ERROR(sync_directory(pack_dir_path));

  for (const auto& p : packs)
    if (p.base != to) GITSTATE_RETURN_IF_ERROR(remove_pack(p.base));
  stats.packs_merged = packs.size();
  stats.objects = objects;
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
