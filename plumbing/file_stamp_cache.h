// Values derived from small files (a ref's target, the branch HEAD names),
// remembered with the file's stamp (device, inode, size, modification and
// change times in nanoseconds) so that a repeated read costs one stat()
// while the file is unchanged. Writers replace ref files by rename, which
// changes the inode, so any change by any process shows in the stamp.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <sys/stat.h>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace gitstate {

struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  long long modified_ns = 0, changed_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// The stamp of the regular file at `path`; nullopt when it does not exist or
// is not a regular file.
std::optional<FileStamp> stamp_of(const std::string& path);

class FileStampCache {
 public:
  // The value remembered for `path` if it was remembered with `stamp`.
  std::optional<std::string> find(const std::string& path, const FileStamp& stamp);
  // Remembers `value` for `path` as derived from the file at `stamp` (a
  // stamp taken before the file was read).
  void remember(const std::string& path, const FileStamp& stamp, std::string value);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<FileStamp, std::string>> entries_;
};

}  // namespace gitstate
