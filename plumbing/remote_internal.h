// What the remote plumbing files share: owned libgit2 handles, remote
// lookup, redaction of statuses, and the callbacks a transfer installs
// (credentials, progress, the server's verdict on each pushed ref).
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <vector>

#include "git_dir_internal.h"
#include "gitstate/plumbing/remote.h"
#include "gitstate/result.h"

namespace gitstate {

struct RemoteFree {
  void operator()(git_remote* remote) const { git_remote_free(remote); }
};
using RemotePtr = std::unique_ptr<git_remote, RemoteFree>;

// `status` with user information stripped from the URLs in its message.
Status redacted(const Status& status);

// kInvalid unless `name` is a valid remote name.
Status check_remote_name(const std::string& name);

// The remote `name` of `repo`. kNotFound when not configured; kInvalid for a
// malformed name.
Result<RemotePtr> lookup_remote(git_repository* repo, const std::string& name);

// The state of one transfer's callbacks; `callbacks()` points libgit2 at it,
// so it must outlive the transfer.
class TransferCallbacks {
 public:
  explicit TransferCallbacks(const TransferOptions& options);
  TransferCallbacks(const TransferCallbacks&) = delete;
  TransferCallbacks& operator=(const TransferCallbacks&) = delete;

  const git_remote_callbacks* callbacks() const { return &callbacks_; }

  // Refs the server refused during a push: (ref, the server's reason).
  const std::vector<std::pair<std::string, std::string>>& rejected() const { return rejected_; }
  // What the last push sent: objects and pack bytes.
  uint64_t sent_objects() const { return sent_objects_; }
  uint64_t sent_bytes() const { return sent_bytes_; }

 private:
  static int credential(git_credential** out, const char* url, const char* username_from_url,
                        unsigned int allowed_types, void* payload);
  static int indexer_progress(const git_indexer_progress* stats, void* payload);
  static int pack_progress(int stage, uint32_t current, uint32_t total, void* payload);
  static int push_progress(unsigned int current, unsigned int total, size_t bytes, void* payload);
  static int push_update_reference(const char* refname, const char* status, void* payload);

  const TransferOptions& options_;
  git_remote_callbacks callbacks_;
  int credential_calls_ = 0;
  bool tried_ssh_key_ = false, tried_agent_ = false, tried_environment_ = false,
       tried_helper_ = false;
  std::vector<std::pair<std::string, std::string>> rejected_;
  uint64_t sent_objects_ = 0, sent_bytes_ = 0;
};

}  // namespace gitstate
