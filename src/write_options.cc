#include "write_options.h"

#include <cstdlib>
#include <ctime>

#include "gitstate/plumbing/object.h"

namespace gitstate::cli {

void add_branch_options(CLI::App& command, WriteOptions& options) {
  command.add_option("-b,--branch", options.branch,
                     "branch to commit to (default: the current branch)");
  add_perspective_option(command, options.perspective);
  command.add_option("--sign-key", options.sign_key, "sign the commit (not supported yet)");
}

void add_write_options(CLI::App& command, WriteOptions& options) {
  add_branch_options(command, options);
  command.add_option("-m,--message", options.message,
                     "commit message (default: a summary of the change)");
  command.add_option("--author", options.author,
                     "author as \"Name <email>\" (default: the repository's identity)");
  command.add_option("--tag", options.tags, "semantic tag, a State-Tag trailer (repeatable)");
}

Status check_supported(const WriteOptions& options) {
  if (!options.sign_key.empty()) return invalid("--sign-key: signed commits are not supported yet");
  const char* env_key = std::getenv("GITSTATE_SIGNING_KEY");
  if (env_key && *env_key)
    return invalid("GITSTATE_SIGNING_KEY is set: signed commits are not supported yet");
  return Status::ok();
}

Result<CommitOptions> make_commit_options(const WriteOptions& options) {
  CommitOptions commit;
  commit.message = options.message;
  commit.tags = options.tags;
  if (!options.author.empty()) {
    auto author = parse_identity(options.author, static_cast<int64_t>(std::time(nullptr)));
    if (!author.is_ok()) return author.status().with_context("--author");
    commit.author = std::move(author).value();
  }
  return commit;
}

void add_perspective_option(CLI::App& command, std::string& perspective) {
  command.add_option("--perspective", perspective,
                     "read or write through the stored perspective NAME only");
}

}  // namespace gitstate::cli
