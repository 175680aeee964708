#include "gitstate/plumbing/oid.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace gitstate {

const char* object_type_name(ObjectType type) {
  switch (type) {
    case ObjectType::kCommit: return "commit";
    case ObjectType::kTree: return "tree";
    case ObjectType::kBlob: return "blob";
    case ObjectType::kTag: return "tag";
  }
  return "unknown";
}

Result<ObjectType> parse_object_type(std::string_view name) {
  if (name == "commit") return ObjectType::kCommit;
  if (name == "tree") return ObjectType::kTree;
  if (name == "blob") return ObjectType::kBlob;
  if (name == "tag") return ObjectType::kTag;
  return invalid("unknown object type '" + std::string(name) + "'");
}

std::string Oid::hex() const {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(40, '0');
  for (size_t i = 0; i < 20; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

bool Oid::is_zero() const {
  for (uint8_t b : bytes)
    if (b != 0) return false;
  return true;
}

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One SHA-1 context per thread, reused: EVP_MD_CTX creation costs more than
// hashing a small object.
struct Sha1Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = EVP_sha1();
  ~Sha1Context() { EVP_MD_CTX_free(ctx); }
};
}  // namespace

Result<Oid> Oid::from_hex(std::string_view hex) {
  if (hex.size() != 40) return invalid("object id '" + std::string(hex) + "' is not 40 hex digits");
  Oid oid;
  for (size_t i = 0; i < 20; ++i) {
    int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return invalid("object id '" + std::string(hex) + "' is not hexadecimal");
    oid.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return oid;
}

Oid hash_object(ObjectType type, std::string_view content) {
  thread_local Sha1Context sha;
  char header[32];
  int header_len = std::snprintf(header, sizeof header, "%s %zu", object_type_name(type),
                                 content.size());
  Oid oid;
  unsigned int len = 0;
  if (!sha.ctx || EVP_DigestInit_ex(sha.ctx, sha.md, nullptr) != 1 ||
      EVP_DigestUpdate(sha.ctx, header, static_cast<size_t>(header_len) + 1) != 1 ||
      EVP_DigestUpdate(sha.ctx, content.data(), content.size()) != 1 ||
      EVP_DigestFinal_ex(sha.ctx, oid.bytes.data(), &len) != 1)
    throw std::runtime_error("OpenSSL SHA-1 failed");  // only on allocation failure
  return oid;
}

const Oid& empty_tree_id() {
  static const Oid kEmpty = hash_object(ObjectType::kTree, "");
  return kEmpty;
}

}  // namespace gitstate
