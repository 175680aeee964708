// The options every committing command shares (set, rm, patch, import):
// -b BRANCH, -m MSG, --author "Name <email>", --tag T..., --perspective NAME,
// and --sign-key of a later issue, which is refused clearly.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "gitstate/result.h"
#include "gitstate/transaction.h"

namespace gitstate::cli {

struct WriteOptions {
  std::string branch;  // empty: the current branch
  std::string message;
  std::string author;
  std::vector<std::string> tags;
  std::string perspective;
  std::string sign_key;
};

// Adds -b, -m, --author, --tag, --perspective and --sign-key to `command`.
void add_write_options(CLI::App& command, WriteOptions& options);
// Adds only -b, --perspective and --sign-key (import takes the rest per line).
void add_branch_options(CLI::App& command, WriteOptions& options);

// kInvalid when an option of a later issue is used: --sign-key or
// $GITSTATE_SIGNING_KEY (signing is not implemented, and a
// commit must not go out unsigned when a key was asked for).
Status check_supported(const WriteOptions& options);

// The commit options: message, tags, and the author parsed from
// "Name <email>" at the current time (kInvalid naming --author when malformed).
Result<CommitOptions> make_commit_options(const WriteOptions& options);

// Adds --perspective NAME to a command.
void add_perspective_option(CLI::App& command, std::string& perspective);

}  // namespace gitstate::cli
