// The pack index (.idx, version 2): how git finds an object inside a .pack.
//
// Layout (all integers big-endian): "\377tOc", version 2, a fanout table of
// 256 cumulative counts by first id byte, the sorted object ids, the CRC32 of
// each object's packed bytes, 32-bit offsets (high bit set = index into the
// following table of 64-bit offsets, used for offsets past the 32-bit limit),
// the pack's trailing checksum, and the SHA-1 of everything before it.
//
// encode_pack_index() writes exactly what `git index-pack` writes for the same
// pack, so gitstate need not re-inflate and re-hash a pack it just wrote.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "sha1.h"

namespace gitstate {

// One object of a pack: its id, where its entry starts in the .pack, and the
// CRC32 (zlib's) of the entry's bytes as stored (header and compressed data).
struct PackIndexEntry {
  Oid oid;
  uint64_t offset = 0;
  uint32_t crc32 = 0;
};

// git's default: offsets above 0x7fffffff go to the 64-bit table. Tests lower
// it to exercise that table (`git index-pack --index-version=2,<limit>`).
constexpr uint64_t kIndexOffset32Limit = 0x7fffffff;

// The .idx bytes for a pack with these entries (any order; ids must be
// unique) and trailing checksum. Never fails.
std::string encode_pack_index(std::vector<PackIndexEntry> entries, const Sha1Digest& pack_checksum,
                              uint64_t offset32_limit = kIndexOffset32Limit);

// The object ids listed in the .idx file at `path`, in index order. kNotFound
// when the file is missing; kCorrupt when it is not a v2 index or is
// truncated; kIO when it cannot be read.
Result<std::vector<Oid>> read_pack_index_ids(const std::string& path);

}  // namespace gitstate
