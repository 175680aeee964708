// Allowed signers: which keys may sign for which principals, in the format of
// OpenSSH's allowed signers file (ssh-keygen(1), "ALLOWED SIGNERS"), the file
// git names with `gpg.ssh.allowedSignersFile`.
//
// One entry per line: `principals [options] keytype base64-key [comment]`.
// Principals are a comma-separated list of patterns (`*` and `?` wildcards,
// a leading `!` negates: a principal matching a negated pattern never
// matches the line). Options, comma-separated: `namespaces="git,file"` (the
// signature's namespace must match one of these patterns),
// `valid-after="YYYYMMDD[HHMM[SS]][Z]"`, `valid-before="..."` (the signing
// time must lie in the window; without Z the time is the machine's local
// time, as ssh-keygen reads it), and `cert-authority` (a CA key: accepted
// and never matched, since gitstate verifies plain keys only). Blank lines
// and lines starting with `#` are ignored. Key types other than ssh-ed25519
// are kept and never match an Ed25519 signature.
//
// Thread-safety: parsed values are immutable; functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/ssh_signature.h"
#include "gitstate/result.h"

namespace gitstate {

struct AllowedSigner {
  std::vector<std::string> principals;  // patterns, as written (may start with '!')
  std::vector<std::string> namespaces;  // patterns; empty: any namespace
  std::optional<int64_t> valid_after;   // unix seconds
  std::optional<int64_t> valid_before;
  bool cert_authority = false;
  std::string key_type;             // "ssh-ed25519", "ssh-rsa", ...
  std::optional<SshPublicKey> key;  // set for ssh-ed25519
  size_t line = 0;                  // 1-based line in the file
};

struct AllowedSigners {
  std::vector<AllowedSigner> entries;

  // Parses the text of a file; `source` names it in errors. kInvalid
  // "<source>:<line>: <what>" for a malformed line (unknown option, bad
  // quoting, bad time, bad base64, a key that does not decode).
  static Result<AllowedSigners> parse(std::string_view text, std::string_view source);
  // Reads and parses the file at `path`. kNotFound / kIO when unreadable.
  static Result<AllowedSigners> load_file(const std::string& path);

  // The first entry that lets `key` sign as `principal` in namespace `ns` at
  // unix time `when`, or nullptr.
  const AllowedSigner* find(std::string_view principal, const SshPublicKey& key,
                            std::string_view ns, int64_t when) const;
  // True when some entry lists `key` (for any principal).
  bool knows(const SshPublicKey& key) const;
};

// OpenSSH's pattern match: `*` any run of characters, `?` one character.
bool ssh_pattern_match(std::string_view text, std::string_view pattern);

}  // namespace gitstate
