#include "object_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "file_io.h"
#include "pack_dir.h"
#include "pack_index.h"

namespace gitstate {

namespace fs = std::filesystem;

namespace {
std::optional<int64_t> mtime_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
}

bool is_hex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Status list_loose(const std::string& objects_dir, std::vector<ObjectFile>& out) {
  std::error_code ec;
  for (fs::directory_iterator dirs(objects_dir, ec), end; !ec && dirs != end; dirs.increment(ec)) {
    std::string prefix = dirs->path().filename().string();
    if (prefix.size() != 2 || !is_hex(prefix)) continue;
    std::error_code inner;
    for (fs::directory_iterator it(dirs->path(), inner); !inner && it != end; it.increment(inner)) {
      std::string rest = it->path().filename().string();
      if (rest.size() != 38 || !is_hex(rest)) continue;  // git's tmp_obj_* and the like
      auto id = Oid::from_hex(prefix + rest);
      ObjectFile file;
      file.path = it->path().string();
      auto mtime = mtime_of(file.path);
      if (!id.is_ok() || !mtime) continue;
      file.mtime_ns = *mtime;
      file.ids.push_back(*id);
      out.push_back(std::move(file));
    }
    if (inner) return io_error("list " + dirs->path().string() + ": " + inner.message());
  }
  if (ec) return io_error("list " + objects_dir + ": " + ec.message());
  return Status::ok();
}
}  // namespace

Result<std::vector<ObjectFile>> list_object_files(const std::string& objects_dir) {
  std::vector<ObjectFile> out;
  std::error_code ec;
  if (fs::exists(objects_dir + "/pack", ec)) {
    GITSTATE_ASSIGN_OR_RETURN(std::vector<PackInfo> packs,
                              list_packs(objects_dir + "/pack", /*with_sizes=*/false));
    for (PackInfo& pack : packs) {
      ObjectFile file;
      file.path = std::move(pack.base);
      file.pack = true;
      file.keep = pack.keep;
      auto mtime = mtime_of(file.path + ".pack");
      auto ids = read_pack_index_ids(file.path + ".idx");
      if (!mtime || (!ids.is_ok() && ids.status().code() == Code::kNotFound)) continue;
      if (!ids.is_ok()) return ids.status();
      file.mtime_ns = *mtime;
      file.ids = std::move(ids).value();
      out.push_back(std::move(file));
    }
  }
  GITSTATE_RETURN_IF_ERROR(list_loose(objects_dir, out));
  std::sort(out.begin(), out.end(),
            [](const ObjectFile& a, const ObjectFile& b) { return a.path < b.path; });
  return out;
}

std::optional<int64_t> modified_ns(const ObjectFile& file) {
  return mtime_of(file.pack ? file.path + ".pack" : file.path);
}

Status remove_object_file(const ObjectFile& file) {
  if (file.pack) return remove_pack(file.path);
  if (::unlink(file.path.c_str()) != 0 && errno != ENOENT)
    return errno_status("remove " + file.path);
  // An emptied fan-out directory goes too, as `git prune` does (a writer
  // creates it again when it needs it).
  ::rmdir(fs::path(file.path).parent_path().c_str());
  return Status::ok();
}

uint64_t directory_bytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      auto size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

int64_t now_ns() {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

}  // namespace gitstate
