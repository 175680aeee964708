// The objects/pack directory: which packs it holds, how a new pack enters it
// atomically, how old packs and abandoned temporaries leave it.
//
// git sees a pack only once its .idx exists, so a pack is installed by
// renaming the .pack into place first and the .idx second; a crash in between
// leaves a .pack that every reader ignores. Removal goes the other way: the
// .idx first (readers stop finding the pack), then the .pack.
//
// Temporaries are named like git's (tmp_pack_*, tmp_idx_*, and gitstate's
// tmp_consolidate_* directories), which git ignores and `git prune` removes.
//
// Thread-safety: functions on paths; the file system arbitrates between
// threads and processes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "file_io.h"
#include "gitstate/result.h"
#include "sha1.h"

namespace gitstate {

struct PackInfo {
  std::string base;    // "<pack dir>/pack-<hex>", the path without ".pack"/".idx"
  uint64_t bytes = 0;  // size of the .pack
  bool keep = false;   // a .keep file asks that the pack be left alone
};

// Packs that have both a .pack and an .idx, sorted by base name, with their
// sizes when `with_sizes` (one stat per pack; otherwise bytes is 0). kIO when
// the directory cannot be read.
Result<std::vector<PackInfo>> list_packs(const std::string& pack_dir, bool with_sizes);

// Moves a finished pack and its index into `pack_dir` as pack-<checksum>,
// read-only (0444) as git keeps them. Nothing is synced: the caller records
// the pack in the commit journal (see journal.h). When that pack is already
// installed (same checksum, hence same bytes) the temporaries are dropped.
// kIO on failure; then no .idx was installed, so no reader sees a partial
// pack (a renamed .pack without .idx is ignored and later cleaned).
Status install_pack(TempFile pack, TempFile index, const std::string& pack_dir,
                    const Sha1Digest& checksum);

// Removes a pack: its .idx, then the .pack and any companion files (.rev,
// .bitmap, .mtimes, .promisor). Files already gone are fine. kIO on failure.
Status remove_pack(const std::string& base);

// How old a temporary must be before anyone removes it: no writer takes
// that long between creating its files and installing them.
constexpr std::chrono::hours kStaleTemporaryAge{1};

// Removes temporaries (tmp_pack_*, tmp_idx_*, tmp_consolidate_*) and .pack
// files without an .idx whose modification time is older than `age`: a
// writer that left them that long ago is gone. Best effort; never fails.
void remove_stale_temporaries(const std::string& pack_dir, std::chrono::seconds age);

// "pack-<40 hex digits>" for a pack checksum.
std::string pack_name(const Sha1Digest& checksum);

}  // namespace gitstate
