// Oid: a git object id (SHA-1, 20 bytes), and the hashing that produces it.
//
// An Oid names an object by its content: hash_object() of the same type and
// bytes gives the same id on every machine, exactly as `git hash-object`
// does. Oids are plain values, safe to copy and share between threads.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "gitstate/result.h"

namespace gitstate {

enum class ObjectType : uint8_t { kCommit = 1, kTree = 2, kBlob = 3, kTag = 4 };

// "commit", "tree", "blob" or "tag".
const char* object_type_name(ObjectType type);
// The type named by "commit", "tree", "blob" or "tag"; kInvalid otherwise.
Result<ObjectType> parse_object_type(std::string_view name);

struct Oid {
  std::array<uint8_t, 20> bytes{};

  // The 40-digit lowercase hex form.
  std::string hex() const;
  // True for the all-zero id, which names no object.
  bool is_zero() const;

  // Parses exactly 40 hex digits (either case); kInvalid otherwise.
  static Result<Oid> from_hex(std::string_view hex);
  // Copies 20 raw bytes. Precondition: raw points at 20 readable bytes.
  static Oid from_raw(const void* raw) {
    Oid oid;
    std::memcpy(oid.bytes.data(), raw, 20);
    return oid;
  }

  auto operator<=>(const Oid&) const = default;
};

struct OidHash {
  size_t operator()(const Oid& oid) const {
    size_t h;
    std::memcpy(&h, oid.bytes.data(), sizeof h);
    return h;
  }
};

// The id git gives an object of `type` with `content`: SHA-1 over
// "<type> <size>\0<content>". Never fails.
Oid hash_object(ObjectType type, std::string_view content);

// The id of the empty tree, 4b825dc642cb6eb9a060e54bf8d69288fbee4904.
const Oid& empty_tree_id();

}  // namespace gitstate
