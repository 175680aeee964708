#include "gitstate/plumbing/refs.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/pack_backend.h"
#include "support/test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TempDir;

namespace {
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string git(const std::string& repo) { return "git --git-dir=" + shell_quote(repo) + " "; }

// A flushed commit over the empty tree with the given parent and message.
Oid commit(ObjectStore& store, std::optional<Oid> parent, const std::string& message) {
  store.write(ObjectType::kTree, "");
  Signature s{"Test", "test@example.com", 1700000000, 0};
  CommitData c{empty_tree_id(), {}, s, s, message + "\n", {}};
  if (parent) c.parents.push_back(*parent);
  Oid id = store.write(ObjectType::kCommit, encode_commit(c));
  REQUIRE(store.flush(false).is_ok());
  return id;
}

struct Repo {
  TempDir tmp;
  std::shared_ptr<GitDir> dir;
  std::unique_ptr<ObjectStore> store;
  Repo() {
    auto d = GitDir::init(tmp.str() + "/store");
    REQUIRE(d.is_ok());
    dir = *d;
    store = std::make_unique<ObjectStore>(make_pack_backend(dir));
  }
};
}  // namespace

TEST_CASE("a ref is created when absent, moved by compare-and-swap, and refused when it moved") {
  Repo repo;
  GitDir& dir = *repo.dir;
  Oid a = commit(*repo.store, std::nullopt, "a");
  Oid b = commit(*repo.store, a, "b");
  Oid c = commit(*repo.store, b, "c");

  auto absent = read_ref(dir, "refs/heads/main");
  REQUIRE(absent.is_ok());
  CHECK(!absent->has_value());
  REQUIRE(update_ref(dir, "refs/heads/main", a, std::nullopt, "create").is_ok());
  CHECK(read_ref(dir, "refs/heads/main")->value() == a);

  Status exists = update_ref(dir, "refs/heads/main", b, std::nullopt, "must not exist");
  CHECK(exists.code() == Code::kModified);
  CHECK(exists.message().find(a.hex()) != std::string::npos);

  REQUIRE(update_ref(dir, "refs/heads/main", b, a, "a -> b").is_ok());
  Status stale = update_ref(dir, "refs/heads/main", c, a, "stale");
  CHECK(stale.code() == Code::kModified);
  CHECK(stale.message().find("refs/heads/main") != std::string::npos);
  CHECK(stale.message().find(a.hex()) != std::string::npos);  // expected
  CHECK(stale.message().find(b.hex()) != std::string::npos);  // actual
  CHECK(read_ref(dir, "refs/heads/main")->value() == b);

  CHECK(update_ref(dir, "refs/heads/other", c, a, "expects a value that is absent").code() ==
        Code::kModified);
  CHECK(!read_ref(dir, "refs/heads/other")->has_value());

  CHECK(trim(run_command(git(dir.path()) + "rev-parse refs/heads/main").output) == b.hex());
  auto reflog = run_command(git(dir.path()) + "reflog show --format=%gs refs/heads/main");
  CHECK(reflog.output.find("a -> b") != std::string::npos);
  CHECK(reflog.output.find("create") != std::string::npos);
}

TEST_CASE("HEAD resolves to its branch for reads and updates") {
  Repo repo;
  GitDir& dir = *repo.dir;
  auto branch = head_branch(dir);
  REQUIRE(branch.is_ok());
  CHECK(*branch == "main");
  CHECK(!read_ref(dir, "HEAD")->has_value());  // unborn

  Oid a = commit(*repo.store, std::nullopt, "a");
  REQUIRE(update_ref(dir, "HEAD", a, std::nullopt, "first commit").is_ok());
  CHECK(read_ref(dir, "refs/heads/main")->value() == a);
  CHECK(read_ref(dir, "HEAD")->value() == a);
  CHECK(trim(run_command(git(dir.path()) + "symbolic-ref HEAD").output) == "refs/heads/main");

  REQUIRE(run_command(git(dir.path()) + "symbolic-ref HEAD refs/heads/dev").exit_code == 0);
  CHECK(head_branch(dir).value() == "dev");
  REQUIRE(run_command(git(dir.path()) + "update-ref --no-deref HEAD " + a.hex()).exit_code == 0);
  CHECK(head_branch(dir).status().code() == Code::kInvalid);
}

TEST_CASE("bad names, the zero id and missing objects are refused") {
  Repo repo;
  GitDir& dir = *repo.dir;
  Oid a = commit(*repo.store, std::nullopt, "a");
  for (const char* bad :
       {"main", "refs/heads/a..b", "refs/heads/x.lock", "refs/heads/sp ace", "refs/heads/"}) {
    INFO(bad);
    CHECK(update_ref(dir, bad, a, std::nullopt, "x").code() == Code::kInvalid);
    CHECK(read_ref(dir, bad).status().code() == Code::kInvalid);
  }
  CHECK(update_ref(dir, "refs/heads/main", Oid{}, std::nullopt, "zero").code() == Code::kInvalid);
  Oid unknown = hash_object(ObjectType::kCommit, "never stored");
  CHECK(update_ref(dir, "refs/heads/main", unknown, std::nullopt, "dangling").code() ==
        Code::kNotFound);
  CHECK(!read_ref(dir, "refs/heads/main")->has_value());
}

TEST_CASE("refs list sorted under a prefix") {
  Repo repo;
  GitDir& dir = *repo.dir;
  Oid a = commit(*repo.store, std::nullopt, "a");
  Oid b = commit(*repo.store, a, "b");
  for (const char* name : {"refs/heads/zeta", "refs/heads/alpha", "refs/heads/feature/x",
                           "refs/tags/v1", "refs/gitstate/merge/alpha"})
    REQUIRE(update_ref(dir, name, std::string(name).find("alpha") != std::string::npos ? b : a,
                       std::nullopt, "x")
                .is_ok());
  REQUIRE(run_command(git(dir.path()) + "pack-refs --all").exit_code ==
          0);  // packed refs are listed too
  REQUIRE(update_ref(dir, "refs/heads/beta", a, std::nullopt, "loose").is_ok());

  auto heads = list_refs(dir, "refs/heads/");
  REQUIRE(heads.is_ok());
  std::vector<std::pair<std::string, Oid>> expected = {{"refs/heads/alpha", b},
                                                       {"refs/heads/beta", a},
                                                       {"refs/heads/feature/x", a},
                                                       {"refs/heads/zeta", a}};
  CHECK(*heads == expected);
  auto all = list_refs(dir, "");
  REQUIRE(all.is_ok());
  CHECK(all->size() == 6);
  CHECK(std::is_sorted(all->begin(), all->end()));
  CHECK(list_refs(dir, "refs/heads/f")->size() == 1);
  CHECK(list_refs(dir, "refs/nothing/")->empty());
}

TEST_CASE("delete is a compare-and-swap too") {
  Repo repo;
  GitDir& dir = *repo.dir;
  Oid a = commit(*repo.store, std::nullopt, "a");
  Oid b = commit(*repo.store, a, "b");
  REQUIRE(update_ref(dir, "refs/heads/topic", b, std::nullopt, "create").is_ok());
  CHECK(delete_ref(dir, "refs/heads/topic", a).code() == Code::kModified);
  CHECK(read_ref(dir, "refs/heads/topic")->value() == b);
  REQUIRE(delete_ref(dir, "refs/heads/topic", b).is_ok());
  CHECK(!read_ref(dir, "refs/heads/topic")->has_value());
  CHECK(delete_ref(dir, "refs/heads/topic", b).code() == Code::kNotFound);

  REQUIRE(update_ref(dir, "refs/tags/packed", a, std::nullopt, "create").is_ok());
  REQUIRE(run_command(git(dir.path()) + "pack-refs --all").exit_code == 0);
  CHECK(delete_ref(dir, "refs/tags/packed", b).code() == Code::kModified);
  REQUIRE(delete_ref(dir, "refs/tags/packed", a).is_ok());
  CHECK(trim(run_command(git(dir.path()) + "for-each-ref refs/tags/").output).empty());
}

TEST_CASE("a held ref lock delays then fails with kConflict, a released one is waited for") {
  Repo repo;
  GitDir& dir = *repo.dir;
  Oid a = commit(*repo.store, std::nullopt, "a");
  Oid b = commit(*repo.store, a, "b");
  REQUIRE(update_ref(dir, "refs/heads/main", a, std::nullopt, "create").is_ok());
  std::string lock = dir.path() + "/refs/heads/main.lock";
  std::ofstream(lock) << "held\n";

  auto start = std::chrono::steady_clock::now();
  Status locked = update_ref(dir, "refs/heads/main", b, a, "blocked");
  auto waited = std::chrono::steady_clock::now() - start;
  CHECK(locked.code() == Code::kConflict);
  CHECK(waited >= kRefLockTimeout);
  CHECK(waited < kRefLockTimeout + std::chrono::seconds(1));
  CHECK(read_ref(dir, "refs/heads/main")->value() == a);

  auto young = remove_stale_ref_locks(dir, std::chrono::seconds(60));
  REQUIRE(young.is_ok());
  CHECK(*young == 0);
  CHECK(std::filesystem::exists(lock));
  auto stale = remove_stale_ref_locks(dir, std::chrono::seconds(0));
  REQUIRE(stale.is_ok());
  CHECK(*stale == 1);
  REQUIRE(update_ref(dir, "refs/heads/main", b, a, "after the stale lock went").is_ok());
  REQUIRE(update_ref(dir, "refs/heads/main", a, b, "back").is_ok());
  std::ofstream(lock) << "held\n";

  // A writer holding the lock briefly: the update waits for it and succeeds.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    usleep(100 * 1000);
    ::unlink(lock.c_str());
    _exit(0);
  }
  Status waited_for = update_ref(dir, "refs/heads/main", b, a, "after the lock");
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(waited_for.is_ok());
  CHECK(read_ref(dir, "refs/heads/main")->value() == b);
}

TEST_CASE("concurrent compare-and-swap from several processes loses no update") {
  Repo repo;
  const std::string path = repo.dir->path();
  constexpr int kProcesses = 4;
  constexpr int kIncrements = 40;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // A separate process: its own handle, store and libgit2 repository.
      auto dir = GitDir::open(path);
      if (!dir.is_ok()) _exit(10);
      ObjectStore store(make_pack_backend(*dir));
      Signature s{"Worker", "w@example.com", 1700000000, 0};
      for (int done = 0, attempt = 0; done < kIncrements; ++attempt) {
        auto tip = read_ref(**dir, "refs/heads/counter");
        if (!tip.is_ok()) _exit(11);
        CommitData c{empty_tree_id(),
                     {},
                     s,
                     s,
                     "worker " + std::to_string(p) + " attempt " + std::to_string(attempt) + "\n",
                     {}};
        if (tip->has_value()) c.parents.push_back(**tip);
        store.write(ObjectType::kTree, "");
        Oid next = store.write(ObjectType::kCommit, encode_commit(c));
        if (!store.flush(false).is_ok()) _exit(12);
        Status moved = update_ref(**dir, "refs/heads/counter", next, *tip, "increment");
        if (moved.is_ok())
          ++done;
        else if (moved.code() != Code::kModified)
          _exit(13);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto count = run_command(git(path) + "rev-list --count refs/heads/counter");
  REQUIRE(count.exit_code == 0);
  CHECK(trim(count.output) == std::to_string(kProcesses * kIncrements));
  auto fsck = run_command(git(path) + "fsck --strict --full 2>&1");
  INFO(fsck.output);
  CHECK(fsck.exit_code == 0);
}
