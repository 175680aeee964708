#include "zlib_checksum.h"

#include <zlib.h>

#include <algorithm>

namespace gitstate {

namespace {
template <typename Update>
uint32_t in_pieces(uLong initial, std::string_view data, Update update) {
  uLong value = initial;
  while (!data.empty()) {
    size_t n = std::min<size_t>(data.size(), 1u << 30);
    value = update(value, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
    data.remove_prefix(n);
  }
  return static_cast<uint32_t>(value);
}
}  // namespace

uint32_t crc32_of(std::string_view data) { return in_pieces(crc32(0L, Z_NULL, 0), data, crc32); }

uint32_t adler32_of(std::string_view data) {
  return in_pieces(adler32(0L, Z_NULL, 0), data, adler32);
}

}  // namespace gitstate
