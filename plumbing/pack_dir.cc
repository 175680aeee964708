#include "pack_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

namespace gitstate {

namespace fs = std::filesystem;

namespace {
bool has_prefix(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool has_suffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}
}  // namespace

std::string pack_name(const Sha1Digest& checksum) {
  static const char kDigits[] = "0123456789abcdef";
  std::string name = "pack-";
  for (uint8_t b : checksum) {
    name.push_back(kDigits[b >> 4]);
    name.push_back(kDigits[b & 15]);
  }
  return name;
}

Result<std::vector<PackInfo>> list_packs(const std::string& pack_dir, bool with_sizes) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(pack_dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (ec) return io_error("list " + pack_dir + ": " + ec.message());
  std::sort(names.begin(), names.end());
  auto listed = [&](const std::string& name) {
    return std::binary_search(names.begin(), names.end(), name);
  };

  std::vector<PackInfo> packs;
  for (const std::string& name : names) {
    if (!has_prefix(name, "pack-") || !has_suffix(name, ".idx")) continue;
    std::string stem = name.substr(0, name.size() - 4);
    if (!listed(stem + ".pack")) continue;
    PackInfo info;
    info.base = pack_dir + "/" + stem;
    if (with_sizes) {
      struct stat st;
      if (::stat((info.base + ".pack").c_str(), &st) != 0) continue;  // removed meanwhile
      info.bytes = static_cast<uint64_t>(st.st_size);
    }
    info.keep = listed(stem + ".keep");
    packs.push_back(std::move(info));
  }
  return packs;
}

Status install_pack(TempFile pack, TempFile index, const std::string& pack_dir,
                    const Sha1Digest& checksum) {
  std::string base = pack_dir + "/" + pack_name(checksum);
  if (file_exists(base + ".idx") && file_exists(base + ".pack")) return Status::ok();
  GITSTATE_RETURN_IF_ERROR(pack.chmod(0444));
  GITSTATE_RETURN_IF_ERROR(index.chmod(0444));
  GITSTATE_RETURN_IF_ERROR(pack.rename_to(base + ".pack"));
  return index.rename_to(base + ".idx");
}

Status remove_pack(const std::string& base) {
  for (const char* ext : {".idx", ".pack", ".rev", ".bitmap", ".mtimes", ".promisor"}) {
    std::string path = base + ext;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_status("remove " + path);
  }
  return Status::ok();
}

void remove_stale_temporaries(const std::string& pack_dir, std::chrono::seconds age) {
  auto cutoff = fs::file_time_type::clock::now() - age;
  std::error_code ec;
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(pack_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    bool temporary = has_prefix(name, "tmp_pack_") || has_prefix(name, "tmp_idx_") ||
                     has_prefix(name, "tmp_consolidate_");
    bool orphan_pack = has_prefix(name, "pack-") && has_suffix(name, ".pack") &&
                       !file_exists(pack_dir + "/" + name.substr(0, name.size() - 5) + ".idx");
    if (!temporary && !orphan_pack) continue;
    std::error_code time_ec;
    auto mtime = fs::last_write_time(it->path(), time_ec);
    if (!time_ec && mtime < cutoff) stale.push_back(it->path());
  }
  for (const auto& path : stale) fs::remove_all(path, ec);
}

}  // namespace gitstate
