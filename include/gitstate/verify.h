// Audit: commit signatures, signature policies on branches, and verifying a
// history (docs/audit.md).
//
// A commit's signature is good when its `gpgsig` header holds an SSHSIG
// signature (namespace "git") over the commit without that header, made by a
// key that the allowed signers file lists for a principal matching the
// committer's email, valid at the committer time (allowed_signers.h): what
// `git verify-commit` with `gpg.format = ssh` and
// `gpg.ssh.allowedSignersFile` accepts, plus the committer-email check.
//
// Policy: with the git configuration `gitstate.branch.<name>.requireSignatures
// = true`, every move of branch <name> made by gitstate (commit, batch,
// merge and its fast-forward, continue_merge, cherry_pick, revert,
// fast_forward, create_branch, project_history, squash, `gitstate
// update-ref`) is refused with kPermissionDenied, changing nothing, unless
// every commit it brings onto the branch (reachable from the new head, not
// from the old one; the whole history when the branch is created) has a good
// signature by the signers of `gpg.ssh.allowedSignersFile` (a leading `~/` is the home
// directory; a relative path is relative to the repository directory).
//
// verify_history() walks the history reachable from a revision and checks
// each commit's signature, and the integrity of every object: its id
// against its content (re-hashed), commits and trees parse strictly, and
// every state tree follows the data model (canonical blobs, key escaping,
// fanout shape, modes; docs/data-model.md).
//
// Thread-safety: functions may run in parallel threads on one Repository.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/allowed_signers.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate {

enum class SignatureStatus {
  kUnsigned,        // no gpgsig header
  kGood,            // verified, by an allowed signer for the committer's email
  kBad,             // malformed, or does not match the commit
  kUnknownKey,      // good signature by a key the allowed signers do not list
  kWrongPrincipal,  // the key is listed, but not for the committer's email (or namespace, time)
  kUnchecked,       // signed, but no allowed signers were given to check against
};

// "unsigned", "good", "bad", "unknown-key", "wrong-principal", "unchecked".
const char* signature_status_name(SignatureStatus status);

struct SignatureCheck {
  SignatureStatus status = SignatureStatus::kUnsigned;
  std::string principal;  // the committer email the signature was checked for
  std::string key;        // the signing key's fingerprint ("SHA256:..."), when readable
  std::string message;    // what is wrong, for statuses other than kGood / kUnsigned
};

// Checks the signature of the commit whose raw content is `content` against
// `signers` (null: a signature is only checked against the commit, and is
// kUnchecked when it matches). Never fails: problems are statuses.
SignatureCheck check_commit_signature(std::string_view content, const AllowedSigners* signers);

// The allowed signers to check signatures against: the OpenSSH allowed
// signers file `file` when not empty, else `gpg.ssh.allowedSignersFile` from
// the configuration (relative to the repository directory); nullopt when
// neither names one. kNotFound / kIO / kInvalid, naming the file, when it
// cannot be read or parsed.
Result<std::optional<AllowedSigners>> load_allowed_signers(const Repository& repo,
                                                           const std::string& file);

// check_commit_signature() on the stored commit `id`. kNotFound when absent,
// kCorrupt when it is not a commit, kIO when it cannot be read.
Result<SignatureCheck> read_commit_signature(const Repository& repo, const Oid& id,
                                             const AllowedSigners* signers);

// True when `branch` requires signed commits (`gitstate.branch.<branch>.
// requireSignatures`). kInvalid when the value is not a boolean.
Result<bool> requires_signatures(const Repository& repo, std::string_view branch);

// Checks the policy of `branch` for a move from `old_head` (nullopt: the
// branch is created) to `new_head`, as described above. OK when the branch
// requires nothing or every new commit is signed well; kPermissionDenied
// naming the branch, the first bad commit and why (also when no allowed
// signers file is configured); kInvalid for a malformed configuration;
// kNotFound / kCorrupt / kIO when the history cannot be read.
Status check_signature_policy(const Repository& repo, std::string_view branch, const Oid& new_head,
                              const std::optional<Oid>& old_head);

struct VerifyOptions {
  std::string rev;  // where the walk starts; empty: the current branch
  // The allowed signers file; empty: `gpg.ssh.allowedSignersFile` from the
  // configuration (none at all: signatures are checked against their
  // commits only and reported kUnchecked, a failure).
  std::string allowed_signers;
  // Unsigned commits fail; also implied when `rev` is a branch (or empty)
  // that requires signatures.
  bool require_signatures = false;
};

struct VerifyProblem {
  std::string kind;     // "object-id", "unreadable", "commit-format", "tree-format", "value-format"
  std::string path;     // JSON Pointer of the state member at fault ("" for the commit or root)
  Oid object;           // the object at fault
  std::string message;  // what is wrong
};

struct CommitVerdict {
  Oid commit;
  SignatureCheck signature;
  std::vector<VerifyProblem> problems;  // integrity problems first found in this commit
  bool ok = true;                       // no problem, and the signature is acceptable
};

struct VerifySummary {
  size_t commits = 0;
  size_t objects = 0;  // distinct objects checked
  size_t failed = 0;   // commits whose verdict is not ok
  size_t unsigned_commits = 0;
  bool signatures_required = false;
  bool ok() const { return failed == 0; }
};

// Verifies the history reachable from options.rev as described above,
// calling `visit` once per commit (from the start, parents after children
// along the walk). Each object is checked once, at the first commit that
// reaches it. A signature fails unless it is kGood, or kUnsigned while
// signatures are not required. Returns the summary; a failed check is a
// verdict, not an error. kInvalid / kNotFound for a bad revision; kNotFound /
// kInvalid (naming the file) for an unreadable or malformed allowed signers
// file; kCorrupt when the starting commit cannot be read at all.
Result<VerifySummary> verify_history(const Repository& repo, const VerifyOptions& options,
                                     const std::function<void(const CommitVerdict&)>& visit);

}  // namespace gitstate
