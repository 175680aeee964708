// Sha1: an incremental SHA-1 (OpenSSL) for pack and index checksums.
//
// Object ids are hashed by hash_object() in oid.cc; this streaming form is for
// the trailing checksums of .pack and .idx files, which cover whole files.
// Thread-safety: one Sha1 per thread; instances are independent.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

struct evp_md_ctx_st;

namespace gitstate {

using Sha1Digest = std::array<uint8_t, 20>;

class Sha1 {
 public:
  Sha1();  // throws std::bad_alloc when OpenSSL cannot allocate a context
  ~Sha1();
  Sha1(const Sha1&) = delete;
  Sha1& operator=(const Sha1&) = delete;

  void update(const void* data, size_t size);
  // The digest of everything updated so far; the object is spent afterwards.
  Sha1Digest finish();

 private:
  evp_md_ctx_st* ctx_;
};

}  // namespace gitstate
