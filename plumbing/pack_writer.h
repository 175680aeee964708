// PackWriter: streams git objects into a .pack file (pack format version 2)
// without compressing them.
//
// Each entry is undeltified: the type-and-size header, then the object's bytes
// wrapped as a zlib stream of "stored" blocks (0x78 0x01, blocks of at most
// 65535 bytes, Adler-32). Any git reads such a stream; producing it costs a
// copy and two checksums instead of a deflate per object, which would cost
// more than hashing the object. Compression happens later, when packs are
// consolidated. The file ends with the SHA-1 of everything before it.
//
// The writer records, for the .idx, each entry's offset and the CRC32 of its
// bytes. It buffers output and writes whole buffers to the descriptor.
//
// Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "pack_index.h"
#include "sha1.h"

namespace gitstate {

// Appends `data` to `out` as a zlib stream of stored (uncompressed) blocks.
void append_zlib_stored(std::string& out, std::string_view data);

class PackWriter {
 public:
  // Starts a pack of `object_count` objects for `fd` (owned by the caller;
  // `what` names it in errors). Exactly that many add() calls must follow.
  // `size_hint`: expected bytes of object data, to size the buffer.
  PackWriter(int fd, uint32_t object_count, std::string what, size_t size_hint);

  // Appends one object. kIO when the file cannot be written.
  Status add(const Oid& id, ObjectType type, std::string_view data);

  // Writes the trailing checksum and returns it. kIO on write failure;
  // kInvalid when the number of add() calls differs from object_count.
  Result<Sha1Digest> finish();

  // Offsets and CRC32s of the entries added so far, in pack order.
  const std::vector<PackIndexEntry>& entries() const { return entries_; }
  // Bytes of pack produced so far (written or buffered).
  uint64_t size() const { return offset_; }

 private:
  Status flush_buffer();

  int fd_;
  uint32_t object_count_;
  std::string what_;
  std::string buffer_;
  uint64_t offset_ = 0;  // pack offset of the end of buffer_
  Sha1 sha_;
  std::vector<PackIndexEntry> entries_;
};

}  // namespace gitstate
