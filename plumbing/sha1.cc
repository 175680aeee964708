#include "sha1.h"

#include <openssl/evp.h>

#include <new>

namespace gitstate {

Sha1::Sha1() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha1(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw std::bad_alloc();
  }
}

Sha1::~Sha1() { EVP_MD_CTX_free(ctx_); }

void Sha1::update(const void* data, size_t size) { EVP_DigestUpdate(ctx_, data, size); }

Sha1Digest Sha1::finish() {
  Sha1Digest digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, digest.data(), &len);
  return digest;
}

}  // namespace gitstate
