// Signature policies on branches (verify.h): what every path that moves a
// branch calls before the ref moves.
//
// check_signature_policy() (verify.h) is the public form of check_policy();
// sync code (pull, push) calls either before it moves a local branch.
//
// Thread-safety: functions may run in parallel threads on one repository.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/allowed_signers.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"
#include "gitstate/verify.h"
#include "repository_internal.h"

namespace gitstate {

// check_signature_policy() on the repository state; callable under the
// writer lock (it reads config, the allowed signers file and commits, and
// takes no lock). Pending objects of the store are visible to it.
Status check_policy(RepositoryState& state, std::string_view branch, const Oid& new_head,
                    const std::optional<Oid>& old_head);

// The allowed signers of `gpg.ssh.allowedSignersFile`, nullopt when unset.
// kNotFound / kIO / kInvalid (naming the file) when it cannot be used.
Result<std::optional<AllowedSigners>> configured_signers(RepositoryState& state);

// Commits reachable from `head` but not from `exclude` (nullopt: none
// excluded), children before parents. Errors as reading commits.
Result<std::vector<Oid>> new_commits(ObjectStore& store, const Oid& head,
                                     const std::optional<Oid>& exclude);

}  // namespace gitstate
