#include <algorithm>
#include <cctype>

#include "adapter_sync_internal.h"
#include "gitstate/adapter_sync.h"
#include "gitstate/plumbing/digest.h"
#include "gitstate/plumbing/merge_base.h"
#include "message_internal.h"

namespace gitstate {

namespace {
// Whether `commit` is `head` or one of its ancestors.
Result<bool> in_history(GitDir& dir, const Oid& commit, const Oid& head) {
  if (commit == head) return true;
  GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> bases, merge_bases(dir, commit, head));
  return bases.size() == 1 && bases.front() == commit;
}

bool brings_in(const CommitData& commit, const std::string& key) {
  ParsedMessage message = parse_message(commit.message);
  return std::any_of(message.trailers.begin(), message.trailers.end(), [&](const auto& trailer) {
    return trailer.first == kSyncTrailer && trailer.second == key;
  });
}

// A ref name component from the adapter's kind: letters, digits and '-'.
std::string kind_component(const std::string& kind) {
  std::string out;
  for (char c : kind) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '-';
  return out.empty() ? "adapter" : out;
}
}  // namespace

std::string sync_key(const Adapter& adapter) {
  return kind_component(adapter.kind()) + "-" + digest128(adapter.identity()).hex();
}

std::string sync_ref(const Adapter& adapter, const std::string& branch) {
  return "refs/gitstate/sync/" + sync_key(adapter) + "/" + branch;
}

Signature adapter_signature(const Adapter& adapter) {
  return Signature{"gitstate sync " + adapter.kind(), "gitstate-sync@localhost", now_seconds(), 0};
}

Result<SyncBase> effective_sync_base(RepositoryState& state, const std::optional<Oid>& recorded,
                                     const Oid& head, const std::string& key) {
  std::optional<Oid> at = recorded;
  while (at) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, *at));
    if (!brings_in(commit, key)) break;
    GITSTATE_ASSIGN_OR_RETURN(bool taken, in_history(*state.git_dir, *at, head));
    if (taken) break;
    at = commit.parents.empty() ? std::nullopt : std::optional<Oid>(commit.parents.front());
  }
  GITSTATE_ASSIGN_OR_RETURN(Oid tree, tree_of(*state.store, at));
  return SyncBase{at, tree};
}

}  // namespace gitstate
