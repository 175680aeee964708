// Pack consolidation, internals: a cancellable consolidate_packs() and the
// thread that runs it in the background for the pack backend.
//
// Thread-safety: BackgroundConsolidator's methods may be called from any
// thread; consolidate_packs() uses its own libgit2 repository and takes the
// GitDir's lock only to refresh its object database at the end.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/pack_backend.h"

namespace gitstate {

// consolidate_packs() (pack_backend.h) that gives up, leaving every old pack
// in place, soon after `cancel` becomes true (kIO "consolidation cancelled").
Result<ConsolidationStats> consolidate_packs(GitDir& dir, size_t max_packs,
                                             const std::atomic<bool>& cancel);

// Runs consolidate_packs() on a thread of its own, so that a flush never
// waits for compression and fsyncs. Requests made while one runs are merged
// into one more run. The thread starts on the first request. Failures are
// dropped: the packs stay as they were and the next request retries.
class BackgroundConsolidator {
 public:
  BackgroundConsolidator(std::shared_ptr<GitDir> dir, size_t max_packs);
  // Cancels a consolidation in progress and joins the thread.
  ~BackgroundConsolidator();
  BackgroundConsolidator(const BackgroundConsolidator&) = delete;
  BackgroundConsolidator& operator=(const BackgroundConsolidator&) = delete;

  // Asks for a consolidation soon. Never blocks on one in progress. Returns
  // false when no thread could be started (then nothing will run).
  bool request();
  // Blocks until no consolidation is requested or running.
  void wait_idle();

 private:
  void run();

  std::shared_ptr<GitDir> dir_;
  size_t max_packs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool running_ = false;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace gitstate
