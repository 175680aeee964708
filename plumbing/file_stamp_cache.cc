#include "file_stamp_cache.h"

namespace gitstate {

std::optional<FileStamp> stamp_of(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  FileStamp stamp;
  stamp.device = st.st_dev;
  stamp.inode = st.st_ino;
  stamp.size = st.st_size;
  stamp.modified_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  stamp.changed_ns = st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
  return stamp;
}

std::optional<std::string> FileStampCache::find(const std::string& path, const FileStamp& stamp) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(path);
  if (it == entries_.end() || !(it->second.first == stamp)) return std::nullopt;
  return it->second.second;
}

void FileStampCache::remember(const std::string& path, const FileStamp& stamp, std::string value) {
  std::lock_guard lock(mu_);
  entries_[path] = {stamp, std::move(value)};
}

}  // namespace gitstate
