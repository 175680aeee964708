#include <openssl/evp.h>

#include "gitstate/plumbing/ssh_signature.h"
#include "ssh_wire.h"

namespace gitstate {

namespace {
constexpr std::string_view kMagic = "SSHSIG";
constexpr uint32_t kVersion = 1;
constexpr std::string_view kArmorBegin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kArmorEnd = "-----END SSH SIGNATURE-----";
constexpr size_t kLineLength = 70;

std::string_view as_chars(const uint8_t* bytes, size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}

Result<std::string> digest(std::string_view hash, std::string_view message) {
  const EVP_MD* md = hash == "sha512" ? EVP_sha512() : EVP_sha256();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(message.data(), message.size(), out, &size, md, nullptr) != 1)
    return io_error("OpenSSL failed to hash the signed message");
  return std::string(reinterpret_cast<const char*>(out), size);
}

// What the Ed25519 signature covers (PROTOCOL.sshsig, "Signed Data").
Result<std::string> signed_data(std::string_view ns, std::string_view hash,
                                std::string_view message) {
  GITSTATE_ASSIGN_OR_RETURN(std::string h, digest(hash, message));
  std::string out(kMagic);
  ssh::put_string(out, ns);
  ssh::put_string(out, "");
  ssh::put_string(out, hash);
  ssh::put_string(out, h);
  return out;
}

Status bad_signature(const std::string& what) { return invalid("SSH signature: " + what); }
}  // namespace

std::string SshPublicKey::blob() const {
  std::string out;
  ssh::put_string(out, ssh::kEd25519);
  ssh::put_string(out, as_chars(bytes.data(), bytes.size()));
  return out;
}

std::string SshPublicKey::openssh() const {
  return std::string(ssh::kEd25519) + " " + ssh::base64_encode(blob());
}

std::string SshPublicKey::fingerprint() const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  std::string b = blob();
  EVP_Digest(b.data(), b.size(), out, &size, EVP_sha256(), nullptr);
  std::string text = ssh::base64_encode(as_chars(out, size));
  while (!text.empty() && text.back() == '=') text.pop_back();
  return "SHA256:" + text;
}

Result<SshPublicKey> parse_ssh_public_key_blob(std::string_view blob) {
  ssh::WireReader in{blob};
  std::string_view type, key;
  if (!in.string(type)) return invalid("SSH public key blob is truncated");
  if (type != ssh::kEd25519)
    return invalid("a " + std::string(type) + " key: only ssh-ed25519 keys are supported");
  if (!in.string(key) || key.size() != 32 || !in.rest.empty())
    return invalid("malformed ssh-ed25519 public key");
  SshPublicKey out;
  std::copy(key.begin(), key.end(), reinterpret_cast<char*>(out.bytes.data()));
  return out;
}

Result<SshPublicKey> parse_ssh_public_key(std::string_view text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return invalid("empty SSH public key");
  text.remove_prefix(start);
  size_t space = text.find_first_of(" \t");
  std::string_view type = text.substr(0, space);
  if (type != ssh::kEd25519)
    return invalid("a " + std::string(type) + " key: only ssh-ed25519 keys are supported");
  std::string_view rest = space == std::string_view::npos ? "" : text.substr(space);
  size_t b = rest.find_first_not_of(" \t");
  if (b == std::string_view::npos) return invalid("SSH public key without its base64 part");
  rest.remove_prefix(b);
  std::string_view encoded = rest.substr(0, rest.find_first_of(" \t\r\n"));
  auto blob = ssh::base64_decode(encoded);
  if (!blob) return invalid("SSH public key: invalid base64");
  return parse_ssh_public_key_blob(*blob);
}

Result<std::string> sshsig_sign(const SshSigningKey& key, std::string_view message,
                                std::string_view ns) {
  GITSTATE_ASSIGN_OR_RETURN(std::string data, signed_data(ns, "sha512", message));
  GITSTATE_ASSIGN_OR_RETURN(auto raw, key.sign_raw(data));
  std::string signature;
  ssh::put_string(signature, ssh::kEd25519);
  ssh::put_string(signature, as_chars(raw.data(), raw.size()));
  std::string blob(kMagic);
  ssh::put_u32(blob, kVersion);
  ssh::put_string(blob, key.public_key().blob());
  ssh::put_string(blob, ns);
  ssh::put_string(blob, "");
  ssh::put_string(blob, "sha512");
  ssh::put_string(blob, signature);
  std::string encoded = ssh::base64_encode(blob);
  std::string out(kArmorBegin);
  out += '\n';
  for (size_t i = 0; i < encoded.size(); i += kLineLength) {
    out.append(encoded, i, kLineLength);
    out += '\n';
  }
  out += kArmorEnd;
  out += '\n';
  return out;
}

Result<SshSignatureInfo> sshsig_verify(std::string_view armored, std::string_view message,
                                       std::string_view ns) {
  size_t begin = armored.find(kArmorBegin);
  size_t end = armored.find(kArmorEnd);
  if (begin != 0 || end == std::string_view::npos)
    return bad_signature("not an armored SSH signature");
  size_t body = begin + kArmorBegin.size();
  auto blob = ssh::base64_decode(armored.substr(body, end - body));
  if (!blob) return bad_signature("invalid base64");
  std::string_view rest(*blob);
  if (rest.substr(0, kMagic.size()) != kMagic) return bad_signature("no SSHSIG preamble");
  ssh::WireReader in{rest.substr(kMagic.size())};
  uint32_t version = 0;
  std::string_view public_blob, sig_ns, reserved, hash, signature;
  if (!in.u32(version) || !in.string(public_blob) || !in.string(sig_ns) || !in.string(reserved) ||
      !in.string(hash) || !in.string(signature) || !in.rest.empty())
    return bad_signature("malformed SSHSIG blob");
  if (version != kVersion)
    return bad_signature("unsupported SSHSIG version " + std::to_string(version));
  if (sig_ns != ns)
    return bad_signature("namespace \"" + std::string(sig_ns) + "\", expected \"" +
                         std::string(ns) + "\"");
  if (hash != "sha512" && hash != "sha256")
    return bad_signature("unsupported hash \"" + std::string(hash) + "\"");
  SshSignatureInfo info;
  auto key = parse_ssh_public_key_blob(public_blob);
  if (!key.is_ok()) return bad_signature(key.status().message());
  info.key = *key;
  info.hash = std::string(hash);
  ssh::WireReader sig{signature};
  std::string_view sig_type, raw;
  if (!sig.string(sig_type) || !sig.string(raw) || !sig.rest.empty() || sig_type != ssh::kEd25519 ||
      raw.size() != 64)
    return bad_signature("malformed Ed25519 signature");
  GITSTATE_ASSIGN_OR_RETURN(std::string data, signed_data(ns, hash, message));
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, info.key.bytes.data(),
                                               info.key.bytes.size());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  int verdict = -1;
  if (pkey && ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1)
    verdict = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                               reinterpret_cast<const unsigned char*>(data.data()), data.size());
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  if (verdict != 1)
    return Status(Code::kPermissionDenied,
                  "SSH signature by " + info.key.fingerprint() + " does not match the signed data");
  return info;
}

}  // namespace gitstate
