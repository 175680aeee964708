// SSH signatures: Ed25519 keys and the SSHSIG format that `ssh-keygen -Y sign`
// writes and git verifies for commits signed with `gpg.format = ssh`.
//
// An SshSigningKey is an Ed25519 private key loaded from an OpenSSH private
// key file ("-----BEGIN OPENSSH PRIVATE KEY-----", unencrypted) or a PKCS#8
// PEM file ("-----BEGIN PRIVATE KEY-----"). Passphrase-protected keys are
// refused (kInvalid), never prompted for. Key material never appears in a
// message, and the private key is wiped when the last handle goes.
//
// sshsig_sign() produces exactly the armored signature `ssh-keygen -Y sign -n
// NAMESPACE` produces for the same key and message (Ed25519 is deterministic,
// the message hash is SHA-512): a PROTOCOL.sshsig blob, base64 in lines of
// 70 characters between "-----BEGIN SSH SIGNATURE-----" and
// "-----END SSH SIGNATURE-----" lines, with a final newline. sshsig_verify()
// checks one (hash sha512 or sha256) and says which key made it; whether that
// key may sign for someone is the business of allowed_signers.h.
//
// Crypto: OpenSSL's EVP interface (Ed25519, SHA-512, SHA-256) only.
// Thread-safety: keys are immutable after loading and may be shared between
// threads (std::shared_ptr); the functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "gitstate/result.h"

namespace gitstate {

// An Ed25519 public key.
struct SshPublicKey {
  std::array<uint8_t, 32> bytes{};

  // The SSH wire blob: string "ssh-ed25519", string key.
  std::string blob() const;
  // "ssh-ed25519 AAAA..." (the first two fields of an authorized_keys line).
  std::string openssh() const;
  // "SHA256:<unpadded base64 of SHA-256(blob)>", as `ssh-keygen -l` prints.
  std::string fingerprint() const;

  bool operator==(const SshPublicKey&) const = default;
};

// Parses "ssh-ed25519 AAAA... [comment]". kInvalid for another key type
// (named in the message), bad base64, or a blob that is not an Ed25519 key.
Result<SshPublicKey> parse_ssh_public_key(std::string_view text);

// The public key in an SSH wire blob (string type, string key). kInvalid
// unless it is an Ed25519 key.
Result<SshPublicKey> parse_ssh_public_key_blob(std::string_view blob);

class SshSigningKey {
 public:
  // Loads the private key file at `path`. kNotFound / kIO when it cannot be
  // read; otherwise as parse().
  static Result<std::shared_ptr<const SshSigningKey>> load_file(const std::string& path);

  // Parses the text of a private key file; `source` (a path) names it in
  // errors. kInvalid for an encrypted key ("passphrase-protected keys are
  // not supported"), a key that is not Ed25519, or a malformed file.
  static Result<std::shared_ptr<const SshSigningKey>> parse(std::string_view text,
                                                            std::string_view source);

  ~SshSigningKey();
  SshSigningKey(const SshSigningKey&) = delete;
  SshSigningKey& operator=(const SshSigningKey&) = delete;

  const SshPublicKey& public_key() const { return public_key_; }

  // The raw Ed25519 signature of `message`. kIO when OpenSSL fails.
  Result<std::array<uint8_t, 64>> sign_raw(std::string_view message) const;

  struct Impl;

 private:
  SshSigningKey(std::unique_ptr<Impl> impl, const SshPublicKey& public_key);
  std::unique_ptr<Impl> impl_;
  SshPublicKey public_key_;
};

// The armored SSHSIG signature of `message` in `ns` ("git" for commits),
// hash sha512, as described above. kIO when OpenSSL fails.
Result<std::string> sshsig_sign(const SshSigningKey& key, std::string_view message,
                                std::string_view ns = "git");

struct SshSignatureInfo {
  SshPublicKey key;  // the key that made the signature
  std::string hash;  // "sha512" or "sha256"
};

// Checks the armored SSHSIG `armored` over `message` in namespace `ns`.
// Returns the signing key when the signature is good. kInvalid when the
// armor, blob, version, key type or namespace is wrong (the message says
// which); kPermissionDenied when the signature does not match the message.
Result<SshSignatureInfo> sshsig_verify(std::string_view armored, std::string_view message,
                                       std::string_view ns = "git");

}  // namespace gitstate
