// An exclusive flock() on a lock file, held until the FileLock is destroyed.
//
// The kernel drops the lock when the holder's process dies, so a crashed
// holder never blocks anyone (unlike git's <name>.lock files). The lock file
// itself stays in place. Locks taken through separate FileLocks exclude each
// other, whether they are in one process or several.
//
// Thread-safety: a FileLock belongs to one thread at a time.
#pragma once

#include <optional>
#include <string>

#include "gitstate/result.h"

namespace gitstate {

class FileLock {
 public:
  // Waits until the lock on `path` (created if missing, mode 0644) is free
  // and takes it. kIO (kPermissionDenied for EACCES) when the file cannot be
  // opened or locked.
  static Result<FileLock> acquire(const std::string& path);

  // Takes the lock on `path` if it is free now; nullopt when another holder
  // has it. kIO / kPermissionDenied as acquire().
  static Result<std::optional<FileLock>> try_acquire(const std::string& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace gitstate
