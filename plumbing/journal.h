// The commit journal: one append-only file, <repository>/gitstate-journal,
// that makes commits survive power loss with one fdatasync each.
//
// Every pack gitstate writes and every ref it moves is first done the cheap
// way (a new file or a rename, in the page cache: enough to survive the death
// of the process), and recorded here with its bytes. A commit is durable once
// the journal is synced through its ref record; the records of concurrent
// writers share syncs (group commit). After a reboot (the journal's header
// names the boot it was written in: /proc/sys/kernel/random/boot_id), the
// first open replays the records: packs whose files were lost or damaged are
// rewritten, refs are put back to the last value the journal gives them.
// A checkpoint (syncfs, then an empty journal) bounds the file's size.
//
// Stock git reading the repository after a power loss and before gitstate
// opened it again may miss the last commits; gitstate's first open puts them
// back.
//
// Thread-safety: every method may be called from any thread. Appends of all
// processes are serialised by the file (O_APPEND, one write each, a shared
// flock); checkpoint and recovery hold the flock exclusively.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gitstate/result.h"
#include "journal_record.h"

namespace gitstate {

class Journal {
 public:
  // A sync that leaves the journal larger than this checkpoints it.
  static constexpr uint64_t kCheckpointBytes = uint64_t{16} << 20;

  // Opens <repository>/gitstate-journal, creating it (with the current boot
  // in its header) when missing. kPermissionDenied or kIO when it cannot be
  // opened or created.
  static Result<std::unique_ptr<Journal>> open(const std::string& repository);

  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends `record` (one write; not synced). Returns its sequence number in
  // this process, to pass to sync(). kIO when the write fails.
  Result<uint64_t> append(const JournalRecord& record);

  // Makes every record this process appended up to `seq` durable: one
  // fdatasync, unless a concurrent sync already covered it. Checkpoints when
  // the journal outgrew kCheckpointBytes. kIO on failure.
  Status sync(uint64_t seq);

  // Runs `replay` with the journal's records when they were written in an
  // earlier boot (or when the boot cannot be told), holding the journal
  // exclusively; then checkpoints, so the next open finds nothing to do.
  // Returns the number of records replayed. `replay`'s error is returned and
  // leaves the journal as it was.
  Result<size_t> recover(const std::function<Status(const std::vector<JournalRecord>&)>& replay);

  // Makes everything on the repository's file system durable (syncfs) and
  // empties the journal. kIO on failure.
  Status checkpoint();

  // Checkpoints, then runs `while_held` before any process may append again
  // (the journal stays held exclusively): garbage collection removes files
  // there that no replay may bring back, while no writer can record a pack
  // or a ref move. Returns the checkpoint's error (then `while_held` did not
  // run) or `while_held`'s.
  Status checkpoint_holding(const std::function<Status()>& while_held);

 private:
  Journal(int fd, std::string path, std::string boot);
  Status checkpoint_locked();

  int fd_;
  std::string path_;
  std::string boot_;      // the running kernel's boot id, "" when unknown
  std::mutex append_mu_;  // this process's appends, checkpoints and recoveries
  uint64_t appended_ = 0;
  std::mutex sync_mu_;
  uint64_t synced_ = 0;  // under sync_mu_
};

}  // namespace gitstate
