#include <deque>
#include <unordered_set>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/revision.h"
#include "gitstate/verify.h"
#include "perspective_internal.h"
#include "signature_policy_internal.h"

namespace gitstate {

namespace {
bool is_bucket(const TreeEntry& entry) {
  return entry.is_tree() && entry.name.size() == 4 && entry.name.compare(0, 2, "%%") == 0;
}

// Checks objects once each, recording problems in the current verdict.
struct ObjectChecker {
  ObjectStore& store;
  std::unordered_set<Oid, OidHash> seen;
  std::vector<VerifyProblem>* problems = nullptr;

  void add(const char* kind, const Path& path, const Oid& id, const std::string& message) {
    problems->push_back(VerifyProblem{kind, format_pointer(path), id, message});
  }

  // The object, when it reads and hashes to its id.
  std::optional<Object> read_checked(const Oid& id, ObjectType type, const Path& path) {
    auto object = store.read(id);
    if (!object.is_ok()) {
      add("unreadable", path, id, object.status().to_string());
      return std::nullopt;
    }
    Oid actual = hash_object(object->type, object->data);
    if (actual != id) {
      add("object-id", path, id, "the content hashes to " + actual.hex());
      return std::nullopt;
    }
    if (object->type != type) {
      add("object-type", path, id,
          std::string("a ") + object_type_name(object->type) + " where a " +
              object_type_name(type) + " belongs");
      return std::nullopt;
    }
    return std::move(object).value();
  }

  // The tree and its fanout buckets as git objects: ids, git's tree format.
  bool check_raw_tree(const Oid& id, const Path& path) {
    std::optional<Object> object = read_checked(id, ObjectType::kTree, path);
    if (!object) return false;
    auto entries = parse_tree(object->data);
    if (!entries.is_ok()) {
      add("tree-format", path, id, entries.status().message());
      return false;
    }
    bool ok = true;
    for (const TreeEntry& entry : *entries)
      if (is_bucket(entry) && seen.insert(entry.oid).second)
        ok = check_raw_tree(entry.oid, path) && ok;
    return ok;
  }

  void check_blob(const Oid& id, const Path& path) {
    if (!seen.insert(id).second) return;
    if (!read_checked(id, ObjectType::kBlob, path)) return;
    auto value = read_value(store, Node{kModeBlob, id});
    if (!value.is_ok()) add("value-format", path, id, value.status().message());
  }

  void check_tree(const Oid& id, Path& path) {
    if (!seen.insert(id).second) return;
    if (path.size() >= kMaxDepth) {
      add("tree-format", path, id, "objects nest deeper than " + std::to_string(kMaxDepth));
      return;
    }
    if (!check_raw_tree(id, path)) return;
    Status walked = for_each_member(store, id, [&](const std::string& key, const Node& node) {
      path.push_back(key);
      if (node.is_tree())
        check_tree(node.oid, path);
      else
        check_blob(node.oid, path);
      path.pop_back();
      return Status::ok();
    });
    if (!walked.is_ok()) add("tree-format", path, id, walked.message());
  }
};

// The branch `rev` names, if it names one by its short name (or is empty).
Result<std::optional<std::string>> branch_named(const Repository& repo, const std::string& rev) {
  if (rev.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(std::string current, repo.current_branch());
    return std::optional<std::string>(current);
  }
  if (!is_valid_ref_name(rev)) return std::optional<std::string>();
  GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, read_ref(*repo.git_dir(), branch_ref(rev)));
  if (!head) return std::optional<std::string>();
  return std::optional<std::string>(rev);
}

}  // namespace

Result<VerifySummary> verify_history(const Repository& repo, const VerifyOptions& options,
                                     const std::function<void(const CommitVerdict&)>& visit) {
  GITSTATE_RETURN_IF_ERROR(refuse_bound(repo, "verifying history"));
  GITSTATE_ASSIGN_OR_RETURN(Oid start, repo.resolve(options.rev));
  GITSTATE_ASSIGN_OR_RETURN(std::optional<AllowedSigners> signers,
                            load_allowed_signers(repo, options.allowed_signers));
  VerifySummary summary;
  summary.signatures_required = options.require_signatures;
  GITSTATE_ASSIGN_OR_RETURN(std::optional<std::string> branch, branch_named(repo, options.rev));
  if (branch && !summary.signatures_required) {
    GITSTATE_ASSIGN_OR_RETURN(summary.signatures_required, requires_signatures(repo, *branch));
  }

  ObjectChecker checker{repo.objects(), {}, nullptr};
  std::unordered_set<Oid, OidHash> queued{start};
  std::deque<Oid> pending{start};
  while (!pending.empty()) {
    CommitVerdict verdict;
    verdict.commit = pending.front();
    pending.pop_front();
    checker.problems = &verdict.problems;
    checker.seen.insert(verdict.commit);
    std::optional<Object> raw = checker.read_checked(verdict.commit, ObjectType::kCommit, {});
    if (raw) {
      auto commit = parse_commit(raw->data);
      if (!commit.is_ok()) {
        checker.add("commit-format", {}, verdict.commit, commit.status().message());
      } else {
        for (const Oid& parent : commit->parents)
          if (queued.insert(parent).second) pending.push_back(parent);
        Path root;
        checker.check_tree(commit->tree, root);
      }
      verdict.signature = check_commit_signature(raw->data, signers ? &*signers : nullptr);
    }
    SignatureStatus status = verdict.signature.status;
    bool signature_ok = status == SignatureStatus::kGood ||
                        (status == SignatureStatus::kUnsigned && !summary.signatures_required);
    verdict.ok = verdict.problems.empty() && signature_ok;
    ++summary.commits;
    if (status == SignatureStatus::kUnsigned) ++summary.unsigned_commits;
    if (!verdict.ok) ++summary.failed;
    visit(verdict);
  }
  summary.objects = checker.seen.size();
  return summary;
}

}  // namespace gitstate
