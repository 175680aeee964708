// The audit trail: every change of every leaf, with who made it, who signed
// it and whether the signature holds (docs/audit.md).
//
// walk_audit() visits the commits walk_log() visits (same order and
// filters: revision, path, time range, first parent) and reports, for each,
// the leaves its delta from the first parent changes (the empty state for a
// root commit). A leaf is what blame() reports: a scalar, an array or an
// empty object. A change replacing an object or adding or removing one
// becomes one record per leaf inside it, so a record always holds a leaf's
// old and new value, never a whole subtree. A merge commit reports its
// delta from its first parent: the changes it brought onto the branch.
//
// Thread-safety: may run in parallel threads on one Repository; records are
// valid during the visit only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "gitstate/history.h"
#include "gitstate/repository.h"
#include "gitstate/result.h"
#include "gitstate/verify.h"

namespace gitstate {

struct AuditOptions {
  std::string rev;                      // where the walk starts; empty: the current branch
  std::string path;                     // JSON Pointer; empty: the whole state
  std::optional<int64_t> since, until;  // committer time bounds, inclusive
  bool first_parent = false;            // follow first parents only
  // Signatures are checked against this allowed signers file; empty: the
  // configured `gpg.ssh.allowedSignersFile`; neither: signed commits are
  // reported kUnchecked (load_allowed_signers()).
  std::string allowed_signers;
};

struct AuditRecord {
  const CommitInfo& commit;                 // id, author, committer, message, tags
  const SignatureCheck& signature;          // status, signing key, principal
  std::string path;                         // JSON Pointer of the leaf
  std::optional<nlohmann::json> old_value;  // nullopt: absent before the commit
  std::optional<nlohmann::json> new_value;  // nullopt: absent after it
};

// Calls `visit` for each leaf change described above: commits newest first
// as walk_log(), leaves of one commit in path order. `visit` returns false
// to stop. kInvalid / kNotFound for a bad revision or pointer; kNotFound /
// kIO / kInvalid naming the allowed signers file when it cannot be used;
// kCorrupt / kIO when the history cannot be read. Nothing is changed.
Status walk_audit(const Repository& repo, const AuditOptions& options,
                  const std::function<bool(const AuditRecord&)>& visit);

}  // namespace gitstate
