#include <system_error>

#include "pack_consolidate_internal.h"

namespace gitstate {

BackgroundConsolidator::BackgroundConsolidator(std::shared_ptr<GitDir> dir, size_t max_packs)
    : dir_(std::move(dir)), max_packs_(max_packs) {}

BackgroundConsolidator::~BackgroundConsolidator() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool BackgroundConsolidator::request() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      return false;
    }
  }
  requested_ = true;
  cv_.notify_all();
  return true;
}

void BackgroundConsolidator::wait_idle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return (!requested_ && !running_) || !thread_.joinable(); });
}

void BackgroundConsolidator::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    running_ = true;
    lock.unlock();
    (void)consolidate_packs(*dir_, max_packs_, cancel_);
    lock.lock();
    running_ = false;
    cv_.notify_all();
  }
}

}  // namespace gitstate
