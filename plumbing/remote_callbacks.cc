// The callbacks of a transfer: credentials from the usual places, progress,
// and the server's verdict on each pushed ref.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "remote_internal.h"

namespace gitstate {

namespace {
// How many times one transfer asks for credentials before giving up: each
// source is tried once, and a server that keeps refusing must not loop.
constexpr int kMaxCredentialCalls = 6;

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct HelperCredential {
  std::string username, password;
};

// Asks git's credential helpers (`git credential fill`) for `url`, never
// prompting on a terminal. Empty when no helper knows it.
HelperCredential credential_from_helper(const std::string& url) {
  std::string command = "printf 'url=%s\\n\\n' " + shell_quoted(url) +
                        " | GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/false SSH_ASKPASS=/bin/false"
                        " git credential fill 2>/dev/null";
  HelperCredential out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char line[4096];
  while (std::fgets(line, sizeof line, pipe)) {
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.rfind("username=", 0) == 0) out.username = text.substr(9);
    if (text.rfind("password=", 0) == 0) out.password = text.substr(9);
  }
  if (pclose(pipe) != 0) return {};
  return out;
}

int give_up(const char* url, const char* why) {
  std::string message = std::string(why) + " for " + redact_userinfo(url ? url : "");
  git_error_set_str(GIT_ERROR_NET, message.c_str());
  return GIT_EAUTH;
}
}  // namespace

TransferCallbacks::TransferCallbacks(const TransferOptions& options) : options_(options) {
  git_remote_init_callbacks(&callbacks_, GIT_REMOTE_CALLBACKS_VERSION);
  callbacks_.credentials = &TransferCallbacks::credential;
  callbacks_.transfer_progress = &TransferCallbacks::indexer_progress;
  callbacks_.pack_progress = &TransferCallbacks::pack_progress;
  callbacks_.push_transfer_progress = &TransferCallbacks::push_progress;
  callbacks_.push_update_reference = &TransferCallbacks::push_update_reference;
  callbacks_.payload = this;
}

int TransferCallbacks::credential(git_credential** out, const char* url,
                                  const char* username_from_url, unsigned int allowed_types,
                                  void* payload) {
  auto* self = static_cast<TransferCallbacks*>(payload);
  if (++self->credential_calls_ > kMaxCredentialCalls) return give_up(url, "authentication failed");
  const char* user_env = env("GITSTATE_USERNAME");
  std::string user = username_from_url && *username_from_url ? username_from_url
                     : user_env                              ? user_env
                                                             : "git";
  if (allowed_types & GIT_CREDENTIAL_SSH_KEY) {
    const char* key = env("GITSTATE_SSH_KEY");
    if (key && !self->tried_ssh_key_) {
      self->tried_ssh_key_ = true;
      return git_credential_ssh_key_new(out, user.c_str(), nullptr, key,
                                        env("GITSTATE_SSH_PASSPHRASE"));
    }
    if (!self->tried_agent_ && env("SSH_AUTH_SOCK")) {
      self->tried_agent_ = true;
      return git_credential_ssh_key_from_agent(out, user.c_str());
    }
  }
  if (allowed_types & GIT_CREDENTIAL_USERNAME)
    return git_credential_username_new(out, user.c_str());
  if (allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    const char* password = env("GITSTATE_PASSWORD");
    if (user_env && password && !self->tried_environment_) {
      self->tried_environment_ = true;
      return git_credential_userpass_plaintext_new(out, user_env, password);
    }
    if (!self->tried_helper_) {
      self->tried_helper_ = true;
      HelperCredential helper = credential_from_helper(url ? url : "");
      if (!helper.username.empty())
        return git_credential_userpass_plaintext_new(out, helper.username.c_str(),
                                                     helper.password.c_str());
    }
  }
  return give_up(url, "no (more) credentials to try");
}

int TransferCallbacks::indexer_progress(const git_indexer_progress* stats, void* payload) {
  auto* self = static_cast<TransferCallbacks*>(payload);
  if (!self->options_.progress) return 0;
  TransferProgress progress;
  if (stats->received_objects < stats->total_objects || stats->total_deltas == 0) {
    progress = {TransferPhase::kReceiving, stats->received_objects, stats->total_objects,
                stats->received_bytes};
  } else {
    progress = {TransferPhase::kResolving, stats->indexed_deltas, stats->total_deltas,
                stats->received_bytes};
  }
  self->options_.progress(progress);
  return 0;
}

int TransferCallbacks::pack_progress(int, uint32_t current, uint32_t total, void* payload) {
  auto* self = static_cast<TransferCallbacks*>(payload);
  if (self->options_.progress)
    self->options_.progress({TransferPhase::kPacking, current, total, 0});
  return 0;
}

int TransferCallbacks::push_progress(unsigned int current, unsigned int total, size_t bytes,
                                     void* payload) {
  auto* self = static_cast<TransferCallbacks*>(payload);
  self->sent_objects_ = total;
  self->sent_bytes_ = bytes;
  if (self->options_.progress)
    self->options_.progress({TransferPhase::kSending, current, total, bytes});
  return 0;
}

int TransferCallbacks::push_update_reference(const char* refname, const char* status,
                                             void* payload) {
  auto* self = static_cast<TransferCallbacks*>(payload);
  if (status) self->rejected_.emplace_back(refname ? refname : "", status);
  return 0;
}

}  // namespace gitstate
