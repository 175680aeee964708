#include "pack_writer.h"

#include <algorithm>

#include "file_io.h"
#include "zlib_checksum.h"

namespace gitstate {

namespace {
constexpr size_t kBufferBytes = 1 << 20;
constexpr size_t kStoredBlockMax = 65535;

void put32(std::string& out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out.append(b, 4);
}

// The entry header: type in bits 4-6 of the first byte, the size in 4 bits
// then 7 bits per byte, high bit set while more bytes follow.
void append_entry_header(std::string& out, ObjectType type, uint64_t size) {
  unsigned char byte = static_cast<unsigned char>(static_cast<unsigned>(type) << 4 | (size & 15));
  size >>= 4;
  while (size != 0) {
    out.push_back(static_cast<char>(byte | 0x80));
    byte = static_cast<unsigned char>(size & 0x7f);
    size >>= 7;
  }
  out.push_back(static_cast<char>(byte));
}

}  // namespace

void append_zlib_stored(std::string& out, std::string_view data) {
  size_t blocks = data.empty() ? 1 : (data.size() + kStoredBlockMax - 1) / kStoredBlockMax;
  out.reserve(out.size() + 2 + blocks * 5 + data.size() + 4);
  out.push_back(static_cast<char>(0x78));  // deflate, 32 KiB window
  out.push_back(static_cast<char>(0x01));  // fastest level, no dictionary, header check bits
  size_t pos = 0;
  for (size_t b = 0; b < blocks; ++b) {
    size_t len = std::min(kStoredBlockMax, data.size() - pos);
    bool last = b + 1 == blocks;
    out.push_back(static_cast<char>(last ? 1 : 0));  // BFINAL, BTYPE=00 (stored), byte-aligned
    uint16_t nlen = static_cast<uint16_t>(~len);
    char lens[4] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8),
                    static_cast<char>(nlen & 0xff), static_cast<char>(nlen >> 8)};
    out.append(lens, 4);
    out.append(data.data() + pos, len);
    pos += len;
  }
  put32(out, adler32_of(data));
}

PackWriter::PackWriter(int fd, uint32_t object_count, std::string what, size_t size_hint)
    : fd_(fd), object_count_(object_count), what_(std::move(what)) {
  buffer_.reserve(std::min(kBufferBytes, size_hint + object_count * size_t{32} + 64) + 4096);
  buffer_.append("PACK", 4);
  put32(buffer_, 2);
  put32(buffer_, object_count);
  offset_ = buffer_.size();
  entries_.reserve(object_count);
}

Status PackWriter::add(const Oid& id, ObjectType type, std::string_view data) {
  size_t start = buffer_.size();
  uint64_t entry_offset = offset_;
  append_entry_header(buffer_, type, data.size());
  append_zlib_stored(buffer_, data);
  size_t entry_bytes = buffer_.size() - start;
  offset_ += entry_bytes;
  entries_.push_back(
      {id, entry_offset, crc32_of(std::string_view(buffer_.data() + start, entry_bytes))});
  if (buffer_.size() >= kBufferBytes) return flush_buffer();
  return Status::ok();
}

Result<Sha1Digest> PackWriter::finish() {
  if (entries_.size() != object_count_)
    return invalid(what_ + ": pack header announced " + std::to_string(object_count_) +
                   " objects, " + std::to_string(entries_.size()) + " were added");
  GITSTATE_RETURN_IF_ERROR(flush_buffer());
  Sha1Digest checksum = sha_.finish();
  GITSTATE_RETURN_IF_ERROR(write_all(
      fd_, std::string_view(reinterpret_cast<const char*>(checksum.data()), checksum.size()),
      what_));
  offset_ += checksum.size();
  return checksum;
}

Status PackWriter::flush_buffer() {
  sha_.update(buffer_.data(), buffer_.size());
  Status status = write_all(fd_, buffer_, what_);
  buffer_.clear();
  return status;
}

}  // namespace gitstate
