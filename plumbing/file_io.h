// Small POSIX file helpers for writing files that must survive crashes:
// temporary files that vanish unless kept, whole writes, data and directory
// syncs. Every failure is a kIO Status naming the path and errno text.
//
// Thread-safety: no shared state; each TempFile belongs to one thread at a time.
#pragma once

#include <string>
#include <string_view>

#include "gitstate/result.h"

namespace gitstate {

// A file created with a unique name in a directory; closed and unlinked on
// destruction unless rename_to() moved it into place.
class TempFile {
 public:
  // Creates `<dir>/<prefix>XXXXXX` (mkostemp, O_CLOEXEC, mode 0600). kIO on failure.
  static Result<TempFile> create(const std::string& dir, const std::string& prefix);

  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  ~TempFile();

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  // Writes all of `data`, retrying short writes and EINTR.
  Status write(std::string_view data);
  // fdatasync(): the data (and the size) are on stable storage.
  Status sync();
  // Sets the permission bits (git keeps packs read-only: 0444).
  Status chmod(unsigned mode);
  // Closes the descriptor and renames the file to `target` (replacing it).
  // On success the file is no longer temporary.
  Status rename_to(const std::string& target);

 private:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;  // empty once renamed
};

// The whole content of the file at `path`. kNotFound when it does not exist,
// kIO when it cannot be read.
Result<std::string> read_whole_file(const std::string& path);

// Writes all of `data` to `fd`; `what` names the file in the error.
Status write_all(int fd, std::string_view data, const std::string& what);

// fsync() of the file at `path` (opened read-only). kNotFound when it does
// not exist; kIO when it cannot be opened or synced.
Status sync_file(const std::string& path);

// fsync() of a directory, so that renames and unlinks in it are durable.
Status sync_directory(const std::string& dir);

// "<what>: <strerror(errno)>" as a kIO Status.
Status errno_status(const std::string& what);

}  // namespace gitstate
