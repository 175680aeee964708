// Helpers for the porcelain tests: a fresh state repository per test, and
// one-line commits.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "gitstate/gitstate.h"
#include "gitstate/plumbing/file_lock.h"
#include "gitstate/plumbing/object_store.h"
#include "support/test_util.h"

namespace gitstate::test {

// A new state repository in its own temporary directory.
struct TestRepo {
  TempDir dir;
  Repository repo;

  explicit TestRepo(const InitOptions& options = {}) : repo(make(dir, options)) {}

  static Repository make(const TempDir& dir, const InitOptions& options = {}) {
    auto repo = Repository::init(dir.str() + "/state.git", options);
    REQUIRE(repo.is_ok());
    return *repo;
  }

  std::string path() const { return dir.str() + "/state.git"; }

  // Commits one set on `branch`; returns the commit.
  Oid set(const std::string& pointer, const nlohmann::json& value, const std::string& message = "",
          const std::string& branch = "") {
    auto tx = repo.begin(branch);
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set(pointer, value).is_ok());
    CommitOptions options;
    options.message = message;
    auto outcome = tx->commit(options);
    INFO(outcome.status().to_string());
    REQUIRE(outcome.is_ok());
    return outcome->commit;
  }

  // The commit `id`, parsed.
  CommitInfo info(const Oid& id) const {
    auto commit = read_commit_info(repo, id);
    REQUIRE(commit.is_ok());
    return *commit;
  }

  nlohmann::json get(const std::string& pointer, const std::string& rev = "") {
    auto value = repo.get(pointer, rev);
    INFO(value.status().to_string());
    REQUIRE(value.is_ok());
    return *value;
  }

  // `git fsck --strict --full` on the repository: true when clean. Holds the
  // consolidation lock meanwhile: a background consolidation deleting the
  // packs it merged would pull them from under fsck.
  bool fsck() const {
    auto quiet = FileLock::acquire(path() + "/gitstate-consolidate.lock");
    REQUIRE(quiet.is_ok());
    auto result =
        run_command("git --git-dir=" + shell_quote(path()) + " fsck --strict --full 2>&1");
    // Shown with the caller's failing CHECK (INFO would end with this scope).
    if (result.exit_code != 0) UNSCOPED_INFO("git fsck: " << result.output);
    return result.exit_code == 0;
  }
};

}  // namespace gitstate::test
