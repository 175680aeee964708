// RefWaker: wakes a thread that waits for a ref of a git directory to move,
// whichever process moves it.
//
// On Linux it listens with inotify to the directory that holds the loose ref
// and to the git directory itself (packed-refs is replaced by a rename
// there); any file created, renamed, written or deleted there wakes it, so
// wake-ups can be spurious and the caller re-reads the ref. Changes that
// happen between open() and wait() are not lost: inotify queues them. Where
// inotify is unavailable (or the ref's directory does not exist yet),
// waiting is a plain sleep, and the caller's polling interval bounds the
// latency.
//
// Thread-safety: one RefWaker belongs to one thread at a time.
#pragma once

#include <chrono>
#include <string>

#include "gitstate/result.h"

namespace gitstate {

class RefWaker {
 public:
  // Listens for changes to `ref` ("refs/heads/main") of the git directory
  // at `git_dir`. Never fails: without inotify, wait() sleeps.
  static RefWaker open(const std::string& git_dir, const std::string& ref);

  RefWaker(RefWaker&& other) noexcept;
  RefWaker& operator=(RefWaker&& other) noexcept;
  RefWaker(const RefWaker&) = delete;
  RefWaker& operator=(const RefWaker&) = delete;
  ~RefWaker();

  // True when the waker listens with inotify (false: wait() only sleeps).
  bool listening() const { return fd_ >= 0; }

  // Returns when something changed (true) or after `timeout` (false). With
  // inotify, every change seen is consumed. Never fails.
  bool wait(std::chrono::milliseconds timeout);

 private:
  explicit RefWaker(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace gitstate
