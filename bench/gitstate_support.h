// What the benchmark programs need on gitstate's side: turning a failed
// Result into a stopped benchmark, a repository opened through the pack
// backend, the fixed identity commits are made with, and the W1 initial state.
//
// Uses only gitstate's public headers. Header-only; single-threaded use.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "bench_util.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/pack_backend.h"
#include "gitstate/result.h"
#include "w1_workload.h"

namespace bench {

// The value, or the benchmark stops with the status and `what`.
template <typename T>
T must(gitstate::Result<T> result, const std::string& what) {
  if (!result.is_ok()) die(what + ": " + result.status().to_string());
  return std::move(result).value();
}
inline void must(const gitstate::Status& status, const std::string& what) {
  if (!status.is_ok()) die(what + ": " + status.to_string());
}

// A repository created at `path` with an object store over the pack backend,
// or (with an empty path) an object store over the in-memory backend.
struct GitstateRepo {
  std::shared_ptr<gitstate::GitDir> dir;  // null for the in-memory store
  std::unique_ptr<gitstate::ObjectStore> store;

  static GitstateRepo create(const std::string& path) {
    GitstateRepo repo;
    if (path.empty()) {
      repo.store = std::make_unique<gitstate::ObjectStore>(gitstate::make_memory_backend());
    } else {
      repo.dir = must(gitstate::GitDir::init(path), "GitDir::init " + path);
      repo.store = std::make_unique<gitstate::ObjectStore>(gitstate::make_pack_backend(repo.dir));
    }
    return repo;
  }
  static GitstateRepo open(const std::string& path) {
    GitstateRepo repo;
    repo.dir = must(gitstate::GitDir::open(path), "GitDir::open " + path);
    repo.store = std::make_unique<gitstate::ObjectStore>(gitstate::make_pack_backend(repo.dir));
    return repo;
  }
};

// The identity of every benchmark commit (the W1 one, so ids are comparable).
inline gitstate::Signature bench_signature() {
  return gitstate::Signature{w1::kAuthorName, w1::kAuthorEmail, w1::kTime, 0};
}

// Writes a commit of `tree` on `parent` (none when nullopt); returns its id.
inline gitstate::Oid write_commit(gitstate::ObjectStore& store, const gitstate::Oid& tree,
                                  const std::optional<gitstate::Oid>& parent, std::string message) {
  gitstate::CommitData commit;
  commit.tree = tree;
  if (parent) commit.parents.push_back(*parent);
  commit.author = bench_signature();
  commit.committer = commit.author;
  commit.message = std::move(message);
  return store.write(gitstate::ObjectType::kCommit, gitstate::encode_commit(commit));
}

// How gitstate's codec spells an integer leaf, so the baselines write the
// same blobs (and reach the same ids).
inline w1::BlobFormat codec_blob_format() {
  gitstate::ObjectStore store(gitstate::make_memory_backend());
  auto node = must(gitstate::write_value(store, nlohmann::json(7)), "write_value(7)");
  auto object = must(store.read(node.oid), "read the blob of 7");
  if (object.data != "7" && object.data != "7\n") die("gitstate writes the integer 7 as '" + object.data + "'");
  return w1::BlobFormat{object.data == "7\n"};
}

namespace w1 {

// The W1 initial state as a JSON value: every leaf at its initial value.
inline nlohmann::json initial_state() {
  nlohmann::json root = nlohmann::json::object();
  for (int s = 0; s < kSections; ++s)
    for (int g = 0; g < kGroups; ++g)
      for (int k = 0; k < kKeys; ++k)
        root[section_name(s)][group_name(g)][key_name(k)] = initial_value(Leaf{s, g, k});
  return root;
}

}  // namespace w1

}  // namespace bench
