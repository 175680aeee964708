#include "gitstate/plumbing/pack_backend.h"

#include <filesystem>
#include <set>

#include "file_io.h"
#include "git_dir_internal.h"
#include "git_error.h"
#include "pack_consolidate_internal.h"
#include "pack_dir.h"
#include "pack_index.h"
#include "pack_writer.h"
#include "pending_objects.h"

namespace gitstate {

namespace {
// Pack order: commits, tags, trees, blobs, as git writes them (history walks
// touch commits together, state reads touch trees together).
size_t pack_rank(ObjectType type) {
  switch (type) {
    case ObjectType::kCommit:
      return 0;
    case ObjectType::kTag:
      return 1;
    case ObjectType::kTree:
      return 2;
    case ObjectType::kBlob:
      return 3;
  }
  return 3;
}

class PackBackend : public ObjectBackend {
 public:
  PackBackend(std::shared_ptr<GitDir> dir, PackBackendOptions options)
      : dir_(std::move(dir)), options_(options), pack_dir_(pack_dir(*dir_)) {
    std::error_code ec;
    std::filesystem::create_directories(pack_dir_, ec);  // a failure shows at flush
    remove_stale_temporaries(pack_dir_, kStaleTemporaryAge);
  }

  Result<Object> read(const Oid& id) override {
    if (const auto* entry = pending_.find(id))
      return Object{entry->type, std::string(pending_.data(*entry))};
    RepoGuard guard(*dir_);
    GITSTATE_ASSIGN_OR_RETURN(git_odb * odb, guard.odb());
    git_odb_object* object = nullptr;
    git_oid oid = to_git_oid(id);
    int rc = git_odb_read(&object, odb, &oid);
    if (rc == GIT_ENOTFOUND) return not_found("object " + id.hex() + " does not exist");
    GITSTATE_RETURN_IF_ERROR(git_status(rc, "read object " + id.hex()));
    Object out;
    out.type = static_cast<ObjectType>(git_odb_object_type(object));
    out.data.assign(static_cast<const char*>(git_odb_object_data(object)),
                    git_odb_object_size(object));
    git_odb_object_free(object);
    return out;
  }

  bool contains(const Oid& id) override {
    if (pending_.find(id)) return true;
    RepoGuard guard(*dir_);
    auto odb = guard.odb();
    if (!odb.is_ok()) return false;
    git_oid oid = to_git_oid(id);
    return git_odb_exists(*odb, &oid) == 1;
  }

  void write(const Oid& id, ObjectType type, std::string data) override {
    pending_.insert(id, type, data);
  }

  // Every flush records a small pack in the commit journal, and a durable
  // flush syncs the journal, which makes this flush and every earlier one
  // durable. A large pack (bulk imports) is synced where it lies instead,
  // rather than written twice.
  Status flush(bool durable) override {
    GITSTATE_ASSIGN_OR_RETURN(Journal * journal, GitDirAccess::impl(*dir_).writable_journal());
    if (!pending_.empty()) {
      GITSTATE_ASSIGN_OR_RETURN(std::optional<JournalPack> pack, write_pending_pack());
      if (pack) {
        GITSTATE_ASSIGN_OR_RETURN(last_ticket_,
                                  journal->append(JournalRecord::of(std::move(*pack))));
      }
      pending_.clear();
      keep_packs_few();
    }
    return durable ? journal->sync(last_ticket_) : Status::ok();
  }

  size_t pending_count() override { return pending_.size(); }

 private:
  // Packs at least this large are synced directly, not journaled.
  static constexpr uint64_t kJournaledPackLimit = uint64_t{1} << 20;

  // Writes and installs the pending objects as one pack. A small one is not
  // synced: its bytes are returned for the journal. A large one is synced
  // (files, then the directory after the renames) and nullopt is returned.
  Result<std::optional<JournalPack>> write_pending_pack() {
    if (pending_.size() > UINT32_MAX) return invalid("too many objects for one pack");
    GITSTATE_ASSIGN_OR_RETURN(TempFile pack, TempFile::create(pack_dir_, "tmp_pack_"));
    PackWriter writer(pack.fd(), static_cast<uint32_t>(pending_.size()), pack.path(),
                      pending_.bytes());
    for (size_t rank = 0; rank < 4; ++rank)
      for (const auto& entry : pending_.entries())
        if (pack_rank(entry.type) == rank)
          GITSTATE_RETURN_IF_ERROR(writer.add(entry.id, entry.type, pending_.data(entry)));
    GITSTATE_ASSIGN_OR_RETURN(Sha1Digest checksum, writer.finish());
    bool journaled = writer.size() < kJournaledPackLimit;

    std::optional<JournalPack> out;
    std::string index_bytes = encode_pack_index(writer.entries(), checksum);
    if (journaled) {
      out.emplace();
      out->name = pack_name(checksum);
      GITSTATE_ASSIGN_OR_RETURN(out->pack, read_whole_file(pack.path()));
      out->index = index_bytes;
    }
    GITSTATE_ASSIGN_OR_RETURN(TempFile index, TempFile::create(pack_dir_, "tmp_idx_"));
    GITSTATE_RETURN_IF_ERROR(index.write(index_bytes));
    if (!journaled) {
      GITSTATE_RETURN_IF_ERROR(pack.sync());
      GITSTATE_RETURN_IF_ERROR(index.sync());
    }
    GITSTATE_RETURN_IF_ERROR(install_pack(std::move(pack), std::move(index), pack_dir_, checksum));
    if (!journaled) GITSTATE_RETURN_IF_ERROR(sync_directory(pack_dir_));
    return out;
  }

  // Consolidates when packs have piled up (in the background unless told
  // otherwise), and drops packs that another thread or process removed from
  // libgit2's list (libgit2 never forgets a pack by itself, and lookups would
  // keep probing it). Failures here leave the repository as it was and are
  // retried at the next flush; the flush itself has succeeded.
  void keep_packs_few() {
    auto packs = list_packs(pack_dir_, /*with_sizes=*/false);
    if (!packs.is_ok()) return;
    std::set<std::string> now;
    size_t counted = 0;
    for (const auto& p : *packs) {
      now.insert(p.base);
      counted += !p.keep;
    }
    bool some_vanished = false;
    for (const auto& base : known_packs_) some_vanished |= now.count(base) == 0;
    known_packs_ = std::move(now);
    if (some_vanished) {
      RepoGuard guard(*dir_);
      (void)guard.reopen_odb();
    }
    if (options_.max_packs == 0 || counted <= options_.max_packs) return;
    if (options_.background_consolidation) {
      if (!consolidator_)
        consolidator_ = std::make_unique<BackgroundConsolidator>(dir_, options_.max_packs);
      if (consolidator_->request()) return;
    }
    (void)consolidate_packs(*dir_, options_.max_packs);
  }

  std::shared_ptr<GitDir> dir_;
  PackBackendOptions options_;
  std::string pack_dir_;
  PendingObjects pending_;
  std::set<std::string> known_packs_;
  uint64_t last_ticket_ = 0;  // the journal record of the last flushed pack
  std::unique_ptr<BackgroundConsolidator> consolidator_;  // last member: joined first
};
}  // namespace

std::unique_ptr<ObjectBackend> make_pack_backend(std::shared_ptr<GitDir> dir) {
  return make_pack_backend(std::move(dir), PackBackendOptions{});
}

std::unique_ptr<ObjectBackend> make_pack_backend(std::shared_ptr<GitDir> dir,
                                                 PackBackendOptions options) {
  return std::make_unique<PackBackend>(std::move(dir), options);
}

}  // namespace gitstate
