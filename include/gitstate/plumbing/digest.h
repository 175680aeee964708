// Digest128: a 128-bit digest of bytes (XXH3-128, xxHash 0.8, seed 0), for
// naming content in caches and comparisons where a git object id would need
// an object to exist.
//
// It is not cryptographic: equal digests of different inputs are
// astronomically unlikely by chance but can be made on purpose, so a digest
// names content that gitstate produced itself (canonical definitions), never
// content an adversary picks to collide. Plain values; thread-safe.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gitstate {

struct Digest128 {
  uint64_t high = 0;
  uint64_t low = 0;

  // 32 lowercase hex digits, high half first.
  std::string hex() const;

  auto operator<=>(const Digest128&) const = default;
};

struct Digest128Hash {
  size_t operator()(const Digest128& d) const { return static_cast<size_t>(d.low ^ d.high); }
};

// XXH3_128bits of `bytes`. Never fails.
Digest128 digest128(std::string_view bytes);

}  // namespace gitstate
