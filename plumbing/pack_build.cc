#include "pack_build.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "file_io.h"
#include "git_error.h"

namespace gitstate {

namespace {
Status rename_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_status("rename " + from + " to " + to);
  return Status::ok();
}

int cancel_progress(const std::atomic<bool>& cancel) {
  return cancel.load(std::memory_order_relaxed) ? -1 : 0;
}

// The pack stream on its way to the indexer, in pieces of kPieceBytes.
struct Feed {
  static constexpr size_t kPieceBytes = size_t{16} << 20;

  git_indexer* indexer;
  const std::atomic<bool>& cancel;
  std::string piece;
  git_indexer_progress stats{};

  int flush() {
    int rc = piece.empty() ? 0 : git_indexer_append(indexer, piece.data(), piece.size(), &stats);
    piece.clear();
    return rc;
  }
  static int on_chunk(void* data, size_t size, void* payload) {
    auto& feed = *static_cast<Feed*>(payload);
    if (cancel_progress(feed.cancel) != 0) return -1;
    feed.piece.append(static_cast<const char*>(data), size);
    return feed.piece.size() >= kPieceBytes ? feed.flush() : 0;
  }
};
}  // namespace

Result<ScratchDir> ScratchDir::create(const std::string& pack_dir) {
  std::string path = pack_dir + "/tmp_consolidate_XXXXXX";
  if (!::mkdtemp(path.data())) return errno_status("create directory in " + pack_dir);
  return ScratchDir(std::move(path));
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

Result<BuiltPack> build_pack(git_repository* repo,
                             const std::function<Status(git_packbuilder*)>& insert,
                             const std::string& out_dir, unsigned threads,
                             const std::atomic<bool>& cancel, const std::string& what) {
  git_packbuilder* builder = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_packbuilder_new(&builder, repo), "start pack builder"));
  std::unique_ptr<git_packbuilder, void (*)(git_packbuilder*)> owner(builder, git_packbuilder_free);
  git_packbuilder_set_threads(builder, threads);
  auto on_build = [](int, uint32_t, uint32_t, void* payload) {
    return cancel_progress(*static_cast<const std::atomic<bool>*>(payload));
  };
  git_packbuilder_set_callbacks(builder, on_build, const_cast<std::atomic<bool>*>(&cancel));
  GITSTATE_RETURN_IF_ERROR(insert(builder));
  if (cancel_progress(cancel) != 0) return io_error(what + " cancelled");

  // The stream goes to the indexer in large pieces rather than one piece per
  // object (as git_packbuilder_write() does): after every piece the indexer
  // drops its memory maps of the growing file, and remapping them for each
  // object cost most of the time.
  git_indexer* raw = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_indexer_new(&raw, out_dir.c_str(), 0, nullptr, nullptr),
                                      "start indexing the " + what + " pack"));
  std::unique_ptr<git_indexer, void (*)(git_indexer*)> indexer(raw, git_indexer_free);
  Feed feed{raw, cancel, {}, {}};
  int rc = git_packbuilder_foreach(builder, Feed::on_chunk, &feed);
  if (rc == 0) rc = feed.flush();
  if (rc < 0 && cancel_progress(cancel) != 0) return io_error(what + " cancelled");
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "write " + what + " pack"));
  GITSTATE_RETURN_IF_ERROR(
      git_status(git_indexer_commit(raw, &feed.stats), "index " + what + " pack"));
  return BuiltPack{"pack-" + std::string(git_indexer_name(raw)),
                   git_packbuilder_object_count(builder)};
}

Status install_built_pack(const ScratchDir& scratch, const std::string& name,
                          const std::string& pack_dir) {
  std::string from = scratch.path() + "/" + name, to = pack_dir + "/" + name;
  GITSTATE_RETURN_IF_ERROR(sync_file(from + ".pack"));
  GITSTATE_RETURN_IF_ERROR(sync_file(from + ".idx"));
  GITSTATE_RETURN_IF_ERROR(rename_file(from + ".pack", to + ".pack"));
  GITSTATE_RETURN_IF_ERROR(rename_file(from + ".idx", to + ".idx"));
  return sync_directory(pack_dir);
}

}  // namespace gitstate
