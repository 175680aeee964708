#include "gitstate/plumbing/ref_waker.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <thread>
#include <utility>

namespace gitstate {

namespace {
constexpr uint32_t kChanges = IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE;
}  // namespace

RefWaker RefWaker::open(const std::string& git_dir, const std::string& ref) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return RefWaker(-1);
  std::string ref_dir = git_dir + "/" + ref.substr(0, ref.rfind('/'));
  if (inotify_add_watch(fd, git_dir.c_str(), kChanges) < 0 ||
      inotify_add_watch(fd, ref_dir.c_str(), kChanges) < 0) {
    ::close(fd);
    return RefWaker(-1);
  }
  return RefWaker(fd);
}

RefWaker::RefWaker(RefWaker&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RefWaker& RefWaker::operator=(RefWaker&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

RefWaker::~RefWaker() {
  if (fd_ >= 0) ::close(fd_);
}

bool RefWaker::wait(std::chrono::milliseconds timeout) {
  if (fd_ < 0) {
    std::this_thread::sleep_for(timeout);
    return false;
  }
  pollfd entry{fd_, POLLIN, 0};
  int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return false;
  alignas(inotify_event) char buffer[4096];
  while (::read(fd_, buffer, sizeof buffer) > 0) {
  }
  return true;
}

}  // namespace gitstate
