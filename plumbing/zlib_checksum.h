// zlib's checksums over inputs of any size (zlib itself takes uInt lengths,
// so large inputs are fed in pieces).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace gitstate {

// CRC-32 (as in gzip, pack indexes and the commit journal).
uint32_t crc32_of(std::string_view data);

// Adler-32 (the zlib stream trailer).
uint32_t adler32_of(std::string_view data);

}  // namespace gitstate
