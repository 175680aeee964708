// The options every committing command shares (set, rm, patch, import):
// -b BRANCH, -m MSG, --author "Name <email>", --tag T..., --perspective NAME,
// and --sign-key FILE.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "gitstate/repository.h"
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

// Adds --sign-key FILE to a command that commits.
void add_sign_key_option(CLI::App& command, std::string& sign_key);

// `repo` signing its commits with the key of --sign-key FILE (`sign_key`),
// else of $GITSTATE_SIGNING_KEY, else as the repository configures
// (gitstate.signingKey; unsigned when unset). A key that cannot be loaded is
// bad input (exit 2), naming the option or variable.
Result<Repository> with_signing_key(const Repository& repo, const std::string& sign_key);

// The key of --sign-key FILE (`sign_key`), else of $GITSTATE_SIGNING_KEY;
// null when neither is given. Errors as with_signing_key().
Result<std::shared_ptr<const SshSigningKey>> chosen_signing_key(const std::string& sign_key);

// The commit options: message, tags, and the author parsed from
// "Name <email>" at the current time (kInvalid naming --author when malformed).
Result<CommitOptions> make_commit_options(const WriteOptions& options);

// Adds --perspective NAME to a command.
void add_perspective_option(CLI::App& command, std::string& perspective);

}  // namespace gitstate::cli
