#include "pack_index.h"

#include <algorithm>

#include "file_io.h"

namespace gitstate {

namespace {
constexpr unsigned char kIndexMagic[4] = {0xff, 't', 'O', 'c'};
constexpr size_t kHeaderBytes = 8;
constexpr size_t kFanoutBytes = 256 * 4;

void put32(std::string& out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out.append(b, 4);
}

void put64(std::string& out, uint64_t v) {
  put32(out, static_cast<uint32_t>(v >> 32));
  put32(out, static_cast<uint32_t>(v));
}

uint32_t get32(const std::string& in, size_t pos) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(in[pos + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}
}  // namespace

std::string encode_pack_index(std::vector<PackIndexEntry> entries, const Sha1Digest& pack_checksum,
                              uint64_t offset32_limit) {
  std::sort(entries.begin(), entries.end(),
            [](const PackIndexEntry& a, const PackIndexEntry& b) { return a.oid < b.oid; });
  size_t n = entries.size();
  size_t large = 0;
  // The same test as git's need_large_offset().
  auto needs_large = [&](uint64_t off) { return (off >> 31) != 0 || off > offset32_limit; };
  for (const auto& e : entries) large += needs_large(e.offset);

  std::string out;
  out.reserve(kHeaderBytes + kFanoutBytes + n * 28 + large * 8 + 40);
  out.append(reinterpret_cast<const char*>(kIndexMagic), 4);
  put32(out, 2);
  size_t i = 0;
  for (unsigned bucket = 0; bucket < 256; ++bucket) {
    while (i < n && entries[i].oid.bytes[0] == bucket) ++i;
    put32(out, static_cast<uint32_t>(i));
  }
  for (const auto& e : entries) out.append(reinterpret_cast<const char*>(e.oid.bytes.data()), 20);
  for (const auto& e : entries) put32(out, e.crc32);
  uint32_t next_large = 0;
  for (const auto& e : entries)
    put32(out,
          needs_large(e.offset) ? (0x80000000u | next_large++) : static_cast<uint32_t>(e.offset));
  for (const auto& e : entries)
    if (needs_large(e.offset)) put64(out, e.offset);
  out.append(reinterpret_cast<const char*>(pack_checksum.data()), pack_checksum.size());
  Sha1 sha;
  sha.update(out.data(), out.size());
  Sha1Digest idx_checksum = sha.finish();
  out.append(reinterpret_cast<const char*>(idx_checksum.data()), idx_checksum.size());
  return out;
}

Result<std::vector<Oid>> read_pack_index_ids(const std::string& path) {
  GITSTATE_ASSIGN_OR_RETURN(std::string data, read_whole_file(path));
  if (data.size() < kHeaderBytes + kFanoutBytes + 40 ||
      !std::equal(kIndexMagic, kIndexMagic + 4,
                  reinterpret_cast<const unsigned char*>(data.data())) ||
      get32(data, 4) != 2)
    return corrupt(path + " is not a version 2 pack index");
  size_t n = get32(data, kHeaderBytes + 255 * 4);
  if (data.size() < kHeaderBytes + kFanoutBytes + n * 28 + 40)
    return corrupt(path + " is truncated");
  std::vector<Oid> ids;
  ids.reserve(n);
  const char* oids = data.data() + kHeaderBytes + kFanoutBytes;
  for (size_t i = 0; i < n; ++i) ids.push_back(Oid::from_raw(oids + 20 * i));
  return ids;
}

}  // namespace gitstate
