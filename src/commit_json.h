// How commits print: the JSON object of `log --json` and `show`, and the
// human form of `log`.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "gitstate/history.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/verify.h"

namespace gitstate::cli {

// "Name <email>".
std::string format_identity(const Signature& signature);

// {"commit","parents","author","time","message","tags"}: ids in hex, author
// as "Name <email>", time the author time in unix seconds, message without
// its trailer block, tags the State-Tag trailer values in order.
nlohmann::json commit_json(const CommitInfo& commit);

// The human form, as `git log` prints it:
//   commit <id>
//   Merge: <parent> <parent>        (merges only)
//   Author: Name <email>
//   Date:   2024-05-01T12:00:00+02:00
//   Tags:   infra, db               (when tagged)
//   Signed: good signature by ...   (signed commits: signature_text())
//   <blank line>
//       message, indented by four spaces
//   <blank line>
void print_commit_text(std::ostream& out, const CommitInfo& commit,
                       const SignatureCheck& signature);

}  // namespace gitstate::cli
