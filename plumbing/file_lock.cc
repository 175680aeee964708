#include "gitstate/plumbing/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "file_io.h"

namespace gitstate {

namespace {
Result<int> open_lock_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) return fd;
  if (errno == EACCES || errno == EROFS)
    return Status(Code::kPermissionDenied, "cannot open lock file " + path + ": not writable");
  return errno_status("open lock file " + path);
}
}  // namespace

Result<FileLock> FileLock::acquire(const std::string& path) {
  GITSTATE_ASSIGN_OR_RETURN(int fd, open_lock_file(path));
  int rc;
  do rc = ::flock(fd, LOCK_EX);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    Status status = errno_status("lock " + path);
    ::close(fd);
    return status;
  }
  return FileLock(fd);
}

Result<std::optional<FileLock>> FileLock::try_acquire(const std::string& path) {
  GITSTATE_ASSIGN_OR_RETURN(int fd, open_lock_file(path));
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return std::optional<FileLock>(FileLock(fd));
  int error = errno;
  ::close(fd);
  if (error == EWOULDBLOCK) return std::optional<FileLock>();
  errno = error;
  return errno_status("lock " + path);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace gitstate
