// collect_garbage(): repack what is reachable, remove the rest after a grace
// period. See gitstate/plumbing/object_gc.h for the contract and the races
// it closes.

#include "gitstate/plumbing/object_gc.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <system_error>
#include <unordered_set>

#include "git_dir_internal.h"
#include "git_error.h"
#include "gitstate/plumbing/file_lock.h"
#include "object_files.h"
#include "pack_build.h"
#include "pack_dir.h"
#include "reachability.h"

namespace gitstate {

namespace {
namespace fs = std::filesystem;
using OidSet = std::unordered_set<Oid, OidHash>;

// One collection: the files listed at the start, which of them stay, and
// what the walk reached.
struct Collection {
  std::string objects_dir;
  std::string pack_dir;
  int64_t cutoff_ns = 0;  // files modified after this are recent
  std::vector<ObjectFile> files;
  std::vector<bool> stays;  // per file
  size_t reachable = 0;     // the walk's first `reachable` objects come from the roots
  std::string new_pack;     // the new pack's base path, empty when none was written

  bool recent(const ObjectFile& file) const { return file.mtime_ns > cutoff_ns; }
};

Status mark_roots(Reachability& reach, const std::vector<Root>& roots, bool strict) {
  for (const Root& root : roots)
    GITSTATE_RETURN_IF_ERROR(reach.mark(root.id, strict && root.strict, root.what));
  return Status::ok();
}

Status mark_file(Reachability& reach, const ObjectFile& file) {
  for (const Oid& id : file.ids) GITSTATE_RETURN_IF_ERROR(reach.mark(id, false, file.path));
  return Status::ok();
}

// Decides which files stay: packs with .keep, and recent files holding an
// object the roots do not reach. Returns the ids those files hold.
OidSet choose_staying(Collection& c, const Reachability& reach, GcReport& report) {
  OidSet kept;
  c.stays.assign(c.files.size(), false);
  for (size_t i = 0; i < c.files.size(); ++i) {
    const ObjectFile& file = c.files[i];
    bool unreachable_inside = false;
    for (const Oid& id : file.ids) unreachable_inside |= !reach.marked_within(id, c.reachable);
    c.stays[i] = file.keep || (c.recent(file) && unreachable_inside);
    if (!c.stays[i]) continue;
    report.files_kept_for_grace += file.keep ? 0 : 1;
    kept.insert(file.ids.begin(), file.ids.end());
  }
  return kept;
}

// Writes `objects` as one pack and installs it durably.
Result<BuiltPack> write_pack(git_repository* repo, const Collection& c,
                             const std::vector<const Reached*>& objects, unsigned threads) {
  std::error_code ec;
  fs::create_directories(c.pack_dir, ec);
  if (ec) return io_error("create " + c.pack_dir + ": " + ec.message());
  auto insert = [&](git_packbuilder* builder) -> Status {
    for (const Reached* object : objects) {
      git_oid oid = to_git_oid(object->id);
      const char* name = object->name.empty() ? nullptr : object->name.c_str();
      GITSTATE_RETURN_IF_ERROR(git_status(git_packbuilder_insert(builder, &oid, name),
                                          "add " + object->id.hex() + " to the new pack"));
    }
    return Status::ok();
  };
  static const std::atomic<bool> kNever{false};
  GITSTATE_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::create(c.pack_dir));
  GITSTATE_ASSIGN_OR_RETURN(BuiltPack built, build_pack(repo, insert, scratch.path(), threads,
                                                        kNever, "garbage collection"));
  if (built.objects != objects.size())
    return corrupt("the new pack holds " + std::to_string(built.objects) + " objects, not " +
                   std::to_string(objects.size()));
  GITSTATE_RETURN_IF_ERROR(install_built_pack(scratch, built.name, c.pack_dir));
  return built;
}

// Files git derives from the packs and may keep beside them: a
// multi-pack-index names packs, a commit-graph names commits. Stale ones
// would fail `git fsck`; git rebuilds them when it wants them.
void remove_derived_files(const Collection& c, bool packs_removed, bool objects_pruned) {
  std::error_code ec;
  if (packs_removed)
    for (fs::directory_iterator it(c.pack_dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename().string().rfind("multi-pack-index", 0) == 0)
        fs::remove(it->path(), ec);
  if (objects_pruned) {
    fs::remove(c.objects_dir + "/info/commit-graph", ec);
    fs::remove_all(c.objects_dir + "/info/commit-graphs", ec);
  }
}

// The last look, with the journal held exclusively (no gitstate writer can
// record a pack or move a ref meanwhile), then the removal. Objects reached
// now from the roots or from files installed since the listing, and files
// modified since, keep their files.
Status last_look_and_remove(git_repository* repo, Collection& c, Reachability& reach,
                            const OidSet& written, OidSet& kept, GcReport& report) {
  size_t before = reach.size();
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Root> roots, list_roots(repo));
  GITSTATE_RETURN_IF_ERROR(mark_roots(reach, roots, /*strict=*/false));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<ObjectFile> now, list_object_files(c.objects_dir));
  std::unordered_set<std::string> listed;
  for (const ObjectFile& file : c.files) listed.insert(file.path);
  OidSet present = written;
  for (const ObjectFile& file : now) {
    if (listed.count(file.path) || file.path == c.new_pack) continue;
    GITSTATE_RETURN_IF_ERROR(mark_file(reach, file));
    present.insert(file.ids.begin(), file.ids.end());
  }
  OidSet late;
  for (size_t i = before; i < reach.size(); ++i) late.insert(reach.objects()[i].id);

  for (size_t i = 0; i < c.files.size(); ++i) {
    if (c.stays[i]) continue;
    const ObjectFile& file = c.files[i];
    bool needed = file.path == c.new_pack || modified_ns(file) != file.mtime_ns;
    for (const Oid& id : file.ids) needed |= late.count(id) != 0;
    if (!needed) continue;
    c.stays[i] = true;
    report.files_rescued += file.path == c.new_pack ? 0 : 1;
    kept.insert(file.ids.begin(), file.ids.end());
  }
  present.insert(kept.begin(), kept.end());

  OidSet pruned;
  bool packs_removed = false;
  for (size_t i = 0; i < c.files.size(); ++i) {
    if (c.stays[i]) continue;
    const ObjectFile& file = c.files[i];
    GITSTATE_RETURN_IF_ERROR(remove_object_file(file));
    packs_removed |= file.pack;
    for (const Oid& id : file.ids)
      if (!present.count(id)) pruned.insert(id);
  }
  report.pruned = pruned.size();
  if (packs_removed) GITSTATE_RETURN_IF_ERROR(sync_directory(c.pack_dir));
  remove_derived_files(c, packs_removed, !pruned.empty());
  return Status::ok();
}

void count_files(const std::vector<ObjectFile>& files, size_t& packs, size_t& loose) {
  packs = loose = 0;
  for (const ObjectFile& file : files) ++(file.pack ? packs : loose);
}
}  // namespace

Result<GcReport> collect_garbage(GitDir& dir, const GcOptions& options) {
  if (options.grace.count() < 0)
    return invalid("the grace period must not be negative (" +
                   std::to_string(options.grace.count()) + " seconds)");
  GitDir::Impl& impl = GitDirAccess::impl(dir);
  GITSTATE_ASSIGN_OR_RETURN(Journal * journal, impl.writable_journal());
  // No consolidation runs while gc does (it would remove packs listed here).
  GITSTATE_ASSIGN_OR_RETURN(FileLock lock,
                            FileLock::acquire(impl.path + "/gitstate-consolidate.lock"));
  Collection c;
  c.objects_dir = impl.path + "/objects";
  c.pack_dir = impl.pack_dir;
  c.cutoff_ns = now_ns() - int64_t{options.grace.count()} * 1000000000;
  GcReport report;
  report.bytes_before = directory_bytes(c.objects_dir);
  GITSTATE_ASSIGN_OR_RETURN(RepositoryPtr repo, open_own_repository(dir));
  GITSTATE_ASSIGN_OR_RETURN(c.files, list_object_files(c.objects_dir));
  count_files(c.files, report.packs_before, report.loose_before);

  // What the roots reach, then what recent and kept files reach besides.
  GITSTATE_ASSIGN_OR_RETURN(Reachability reach, Reachability::create(repo.get()));
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Root> roots, list_roots(repo.get()));
  GITSTATE_RETURN_IF_ERROR(mark_roots(reach, roots, /*strict=*/true));
  c.reachable = report.reachable = reach.size();
  for (const ObjectFile& file : c.files)
    if (file.keep || c.recent(file)) GITSTATE_RETURN_IF_ERROR(mark_file(reach, file));
  report.objects_kept_for_grace = reach.size() - c.reachable;

  OidSet kept = choose_staying(c, reach, report);
  std::vector<const Reached*> objects;  // what the new pack holds
  for (const Reached& object : reach.objects())
    if (!kept.count(object.id)) objects.push_back(&object);
  OidSet written;
  if (!objects.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(BuiltPack built, write_pack(repo.get(), c, objects, options.threads));
    report.pack = built.name;
    report.objects_written = built.objects;
    c.new_pack = c.pack_dir + "/" + built.name;
    for (const Reached* object : objects) written.insert(object->id);
  }
  Status removed = journal->checkpoint_holding(
      [&] { return last_look_and_remove(repo.get(), c, reach, written, kept, report); });
  // Forget the removed packs in this process (libgit2 keeps probing them otherwise).
  Status reopened = RepoGuard(dir).reopen_odb();
  GITSTATE_RETURN_IF_ERROR(removed);
  GITSTATE_RETURN_IF_ERROR(reopened);
  // Never younger than kStaleTemporaryAge: a writer may be between renaming
  // its .pack and its .idx.
  remove_stale_temporaries(c.pack_dir,
                           std::max<std::chrono::seconds>(options.grace, kStaleTemporaryAge));

  report.bytes_after = directory_bytes(c.objects_dir);
  GITSTATE_ASSIGN_OR_RETURN(std::vector<ObjectFile> after, list_object_files(c.objects_dir));
  count_files(after, report.packs_after, report.loose_after);
  return report;
}

}  // namespace gitstate
