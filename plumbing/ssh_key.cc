#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "file_io.h"
#include "gitstate/plumbing/ssh_signature.h"
#include "ssh_wire.h"

namespace gitstate {

struct SshSigningKey::Impl {
  EVP_PKEY* pkey = nullptr;
  ~Impl() { EVP_PKEY_free(pkey); }
};

namespace {
constexpr std::string_view kOpensshBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kOpensshEnd = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view kPkcs8Begin = "-----BEGIN PRIVATE KEY-----";
constexpr std::string_view kEncryptedPkcs8Begin = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
constexpr std::string_view kOpensshMagic{"openssh-key-v1\0", 15};

Status bad_key(std::string_view source, const std::string& what) {
  return invalid("signing key " + std::string(source) + ": " + what);
}

Status passphrase_refused(std::string_view source) {
  return bad_key(source,
                 "the key is passphrase-protected, and passphrase-protected keys are not "
                 "supported; use an unencrypted Ed25519 key (ssh-keygen -t ed25519 -N '')");
}

// Wipes a copy of secret bytes when it goes out of scope.
struct Secret {
  std::string bytes;
  ~Secret() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

Result<SshPublicKey> public_of(EVP_PKEY* pkey, std::string_view source) {
  SshPublicKey key;
  size_t size = key.bytes.size();
  if (EVP_PKEY_get_raw_public_key(pkey, key.bytes.data(), &size) != 1 || size != 32)
    return bad_key(source, "cannot derive the public key");
  return key;
}

// The key inside an OpenSSH private key file (PROTOCOL.key).
Result<EVP_PKEY*> parse_openssh(std::string_view text, std::string_view source) {
  size_t begin = text.find(kOpensshBegin);
  size_t end = text.find(kOpensshEnd);
  if (end == std::string_view::npos || end < begin)
    return bad_key(source, "no \"" + std::string(kOpensshEnd) + "\" line");
  size_t body = begin + kOpensshBegin.size();
  Secret blob;
  auto decoded = ssh::base64_decode(text.substr(body, end - body));
  if (!decoded) return bad_key(source, "the key is not valid base64");
  blob.bytes = std::move(*decoded);
  std::string_view rest(blob.bytes);
  if (rest.substr(0, kOpensshMagic.size()) != kOpensshMagic)
    return bad_key(source, "not an openssh-key-v1 key");
  ssh::WireReader in{rest.substr(kOpensshMagic.size())};
  std::string_view cipher, kdf, kdf_options, public_blob, private_part;
  uint32_t count = 0;
  if (!in.string(cipher) || !in.string(kdf) || !in.string(kdf_options) || !in.u32(count))
    return bad_key(source, "the key file is truncated");
  if (cipher != "none" || kdf != "none") return passphrase_refused(source);
  if (count != 1)
    return bad_key(source, "the file holds " + std::to_string(count) + " keys, not 1");
  if (!in.string(public_blob) || !in.string(private_part))
    return bad_key(source, "the key file is truncated");
  ssh::WireReader priv{private_part};
  uint32_t check1 = 0, check2 = 0;
  std::string_view type, pub, secret;
  if (!priv.u32(check1) || !priv.u32(check2) || !priv.string(type))
    return bad_key(source, "the private key is truncated");
  if (check1 != check2) return bad_key(source, "the private key's check numbers differ");
  if (type != ssh::kEd25519)
    return bad_key(source, "a " + std::string(type) + " key; only ssh-ed25519 keys can sign");
  if (!priv.string(pub) || !priv.string(secret) || pub.size() != 32 || secret.size() != 64)
    return bad_key(source, "the Ed25519 private key is malformed");
  if (secret.substr(32) != pub) return bad_key(source, "the private and public halves differ");
  GITSTATE_ASSIGN_OR_RETURN(SshPublicKey outer, parse_ssh_public_key_blob(public_blob));
  if (std::string_view(reinterpret_cast<const char*>(outer.bytes.data()), 32) != pub)
    return bad_key(source, "the public key does not belong to the private key");
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(secret.data()), 32);
  if (!pkey) return bad_key(source, "OpenSSL refused the Ed25519 key");
  return pkey;
}

int refuse_passphrase(char*, int, int, void*) { return -1; }

// The key inside a PKCS#8 PEM file.
Result<EVP_PKEY*> parse_pkcs8(std::string_view text, std::string_view source) {
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  if (!bio) return io_error("out of memory reading signing key " + std::string(source));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, refuse_passphrase, nullptr);
  BIO_free(bio);
  if (!pkey) return bad_key(source, "not a readable PKCS#8 PEM private key");
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return bad_key(source, "not an Ed25519 key; only Ed25519 keys can sign");
  }
  return pkey;
}
}  // namespace

SshSigningKey::SshSigningKey(std::unique_ptr<Impl> impl, const SshPublicKey& public_key)
    : impl_(std::move(impl)), public_key_(public_key) {}

SshSigningKey::~SshSigningKey() = default;

Result<std::shared_ptr<const SshSigningKey>> SshSigningKey::parse(std::string_view text,
                                                                  std::string_view source) {
  Result<EVP_PKEY*> parsed = bad_key(source, "not an OpenSSH or PKCS#8 PEM private key");
  if (text.find(kOpensshBegin) != std::string_view::npos)
    parsed = parse_openssh(text, source);
  else if (text.find(kEncryptedPkcs8Begin) != std::string_view::npos)
    return passphrase_refused(source);
  else if (text.find(kPkcs8Begin) != std::string_view::npos)
    parsed = parse_pkcs8(text, source);
  if (!parsed.is_ok()) return parsed.status();
  auto impl = std::make_unique<Impl>();
  impl->pkey = *parsed;
  GITSTATE_ASSIGN_OR_RETURN(SshPublicKey key, public_of(impl->pkey, source));
  return std::shared_ptr<const SshSigningKey>(new SshSigningKey(std::move(impl), key));
}

Result<std::shared_ptr<const SshSigningKey>> SshSigningKey::load_file(const std::string& path) {
  Secret text;
  GITSTATE_ASSIGN_OR_RETURN(text.bytes, read_whole_file(path));
  return parse(text.bytes, path);
}

Result<std::array<uint8_t, 64>> SshSigningKey::sign_raw(std::string_view message) const {
  std::array<uint8_t, 64> signature{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return io_error("out of memory signing");
  size_t size = signature.size();
  bool ok =
      EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->pkey) == 1 &&
      EVP_DigestSign(ctx, signature.data(), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1 &&
      size == signature.size();
  EVP_MD_CTX_free(ctx);
  if (!ok) return io_error("OpenSSL failed to make an Ed25519 signature");
  return signature;
}

}  // namespace gitstate
