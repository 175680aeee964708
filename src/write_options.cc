#include "write_options.h"

#include <cstdlib>
#include <ctime>

#include "exit_status.h"
#include "gitstate/plumbing/object.h"

namespace gitstate::cli {

void add_branch_options(CLI::App& command, WriteOptions& options) {
  command.add_option("-b,--branch", options.branch,
                     "branch to commit to (default: the current branch)");
  add_perspective_option(command, options.perspective);
  add_sign_key_option(command, options.sign_key);
}

void add_sign_key_option(CLI::App& command, std::string& sign_key) {
  command.add_option("--sign-key", sign_key,
                     "sign commits with this Ed25519 private key file (OpenSSH or PKCS#8 PEM; "
                     "default: $GITSTATE_SIGNING_KEY, then config gitstate.signingKey)");
}

void add_write_options(CLI::App& command, WriteOptions& options) {
  add_branch_options(command, options);
  command.add_option("-m,--message", options.message,
                     "commit message (default: a summary of the change)");
  command.add_option("--author", options.author,
                     "author as \"Name <email>\" (default: the repository's identity)");
  command.add_option("--tag", options.tags, "semantic tag, a State-Tag trailer (repeatable)");
}

Result<std::shared_ptr<const SshSigningKey>> chosen_signing_key(const std::string& sign_key) {
  std::string path = sign_key;
  std::string source = "--sign-key";
  if (path.empty()) {
    const char* env_key = std::getenv("GITSTATE_SIGNING_KEY");
    if (!env_key || !*env_key) return std::shared_ptr<const SshSigningKey>();
    path = env_key;
    source = "GITSTATE_SIGNING_KEY";
  }
  auto key = SshSigningKey::load_file(path);
  if (!key.is_ok()) return as_input_error(key.status().with_context(source));
  return key;
}

Result<Repository> with_signing_key(const Repository& repo, const std::string& sign_key) {
  GITSTATE_ASSIGN_OR_RETURN(std::shared_ptr<const SshSigningKey> key, chosen_signing_key(sign_key));
  if (key) return repo.signing_with(key);
  auto configured = repo.signing_key();
  if (!configured.is_ok()) return as_input_error(configured.status());
  return repo;
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
