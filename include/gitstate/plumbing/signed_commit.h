// Signed commits: an SSHSIG signature in the commit's `gpgsig` header, over
// the commit's bytes without that header, exactly as git writes and checks
// it (`git commit -S` with gpg.format = ssh, `git verify-commit`).
//
// The header is written after `committer` as git's add_header_signature()
// does: "gpgsig " before the first line of the armored signature, a single
// space before each following line (blank lines included), every line ending
// in '\n' (encode_commit). split_signed_commit() is git's
// parse_buffer_signed_by_header(): the payload is the commit without the
// `gpgsig` header and without headers of other signature kinds
// (`gpgsig-sha256`), the signature is the header's lines joined with '\n'.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/ssh_signature.h"
#include "gitstate/result.h"

namespace gitstate {

// Sets commit.gpgsig to the SSHSIG signature ("git" namespace) of
// encode_commit() of `commit` without a signature. kIO when OpenSSL fails.
Status sign_commit(CommitData& commit, const SshSigningKey& key);

struct SignedPayload {
  std::string payload;    // the bytes the signature covers
  std::string signature;  // the armored signature, ending in '\n'
};

// The signature and signed payload of a commit's raw content, or nullopt
// when it has no `gpgsig` header. Never fails (a malformed commit gives
// whatever git would extract from it).
std::optional<SignedPayload> split_signed_commit(std::string_view content);

}  // namespace gitstate
