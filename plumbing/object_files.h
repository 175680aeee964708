// The files that hold a repository's objects, as garbage collection sees
// them: packs (with their .idx) and loose objects under objects/, each with
// the ids it holds and its modification time.
//
// Thread-safety: functions on paths; the file system arbitrates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

struct ObjectFile {
  // A pack's base ("<objects>/pack/pack-<hex>", without .pack/.idx) or a
  // loose object's path.
  std::string path;
  bool pack = false;
  bool keep = false;     // a pack with a .keep file
  int64_t mtime_ns = 0;  // of the .pack, or of the loose object
  std::vector<Oid> ids;  // the objects it holds
};

// Every pack that has an .idx and every loose object under `objects_dir`,
// sorted by path. Files that vanish while being listed are left out. kIO
// when a directory cannot be read; kCorrupt when an .idx is malformed.
Result<std::vector<ObjectFile>> list_object_files(const std::string& objects_dir);

// The file's modification time now; nullopt when it is gone.
std::optional<int64_t> modified_ns(const ObjectFile& file);

// Removes the file (a pack with its .idx first; see remove_pack). kIO on
// failure; a file already gone is fine.
Status remove_object_file(const ObjectFile& file);

// Bytes in all regular files below `dir` (0 when it cannot be read).
uint64_t directory_bytes(const std::string& dir);

// Nanoseconds since the epoch, now (CLOCK_REALTIME, as file times).
int64_t now_ns();

}  // namespace gitstate
