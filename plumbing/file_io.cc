#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace gitstate {

Status errno_status(const std::string& what) {
  return io_error(what + ": " + std::strerror(errno));
}

Result<TempFile> TempFile::create(const std::string& dir, const std::string& prefix) {
  std::string path = dir + "/" + prefix + "XXXXXX";
  int fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return errno_status("create temporary file in " + dir);
  return TempFile(fd, std::move(path));
}

TempFile::TempFile(TempFile&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
  other.path_.clear();
}

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

Status TempFile::write(std::string_view data) { return write_all(fd_, data, path_); }

Status TempFile::sync() {
  if (::fdatasync(fd_) != 0) return errno_status("fdatasync " + path_);
  return Status::ok();
}

Status TempFile::chmod(unsigned mode) {
  if (::fchmod(fd_, static_cast<mode_t>(mode)) != 0) return errno_status("chmod " + path_);
  return Status::ok();
}

Status TempFile::rename_to(const std::string& target) {
  if (fd_ >= 0) {
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return errno_status("close " + path_);
  }
  if (::rename(path_.c_str(), target.c_str()) != 0)
    return errno_status("rename " + path_ + " to " + target);
  path_.clear();
  return Status::ok();
}

Result<std::string> read_whole_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return not_found(path + " does not exist");
    return errno_status("open " + path);
  }
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status status = errno_status("read " + path);
      ::close(fd);
      return status;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

Status write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("write " + what);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

Status sync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return not_found(path + " does not exist");
    return errno_status("open " + path);
  }
  Status status = ::fsync(fd) == 0 ? Status::ok() : errno_status("fsync " + path);
  ::close(fd);
  return status;
}

Status sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("open directory " + dir);
  int rc = ::fsync(fd);
  Status status = rc == 0 ? Status::ok() : errno_status("fsync directory " + dir);
  ::close(fd);
  return status;
}

}  // namespace gitstate
