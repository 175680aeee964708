// Opening the repository and resolving the revisions users name.
//
// Both classify their failures for the exit status: a --repo that names no
// state repository, and a revision that names no commit, are bad input
// (exit 2), not "not found" (exit 1), which is kept for paths.
#pragma once

#include <string>
#include <string_view>

#include "command.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"

namespace gitstate::cli {

// The state repository at --repo ($GITSTATE_REPO, or the current directory).
Result<Repository> open_repository(const GlobalOptions& globals);

// open_repository(), bound to the perspective named by --perspective when
// `perspective` is not empty (repository.h says what a bound handle sees and
// may change). An unknown perspective is bad input (exit 2).
Result<Repository> open_through(const GlobalOptions& globals, const std::string& perspective);

// `status` with "at REV" added when the user named a revision (`rev` not empty).
Status at_revision(const Status& status, std::string_view rev);

// The commit `rev` names, as a full id; empty `rev` is the current branch.
Result<Oid> resolve_input(const Repository& repo, std::string_view rev);

// The revision to pass on to the library: empty stays empty (the current
// branch, which reads as {} while unborn); anything else is resolved to a
// full commit id so that an unknown revision is told apart from a missing
// path.
Result<std::string> pin_revision(const Repository& repo, std::string_view rev);

}  // namespace gitstate::cli
