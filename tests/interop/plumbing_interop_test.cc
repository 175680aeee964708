// Stock git against repositories written through the plumbing layer alone:
// awkward keys must pass `git fsck --strict --full`, blobs must read as JSON
// with `git show`, and a fanout state must look like any other tree to git.
#include <catch2/catch.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/git_dir.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/pack_backend.h"
#include "gitstate/plumbing/refs.h"
#include "support/test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TempDir;
using nlohmann::json;

namespace {

// Commits `state` on refs/heads/main of a fresh repository in `dir`.
Oid commit_state(const std::string& dir, const json& state) {
  auto git_dir = GitDir::init(dir);
  REQUIRE(git_dir.is_ok());
  ObjectStore store(make_pack_backend(*git_dir));
  auto tree = write_state(store, state);
  REQUIRE(tree.is_ok());
  CommitData commit;
  commit.tree = *tree;
  commit.author = commit.committer = {"Ada", "ada@example.org", 1700000000, 0};
  commit.message = "awkward keys\n";
  Oid id = store.write(ObjectType::kCommit, encode_commit(commit));
  REQUIRE(store.flush(true).is_ok());
  REQUIRE(update_ref(**git_dir, "refs/heads/main", id, std::nullopt, "test").is_ok());
  return id;
}

std::string git(const std::string& dir, const std::string& args) {
  auto result = run_command("git --git-dir=" + shell_quote(dir) + " " + args + " 2>&1");
  INFO("git " << args << "\n" << result.output);
  REQUIRE(result.exit_code == 0);
  return result.output;
}

}  // namespace

TEST_CASE("keys git treats specially pass git fsck --strict --full") {
  json awkward = json::object();
  const std::string keys[] = {"", ".", "..", ".git", ".GIT", ".Git", ".git.", ".git ", "git~1", "GIT~1",
                        ".gitmodules", ".gitattributes", ".gitignore", ".g\u200cit",
                        ".git\u200d", "gitmod~1", "gi7eba~1", "a/b", "/", "%", "%25", "~", "~0",
                        "back\\slash", "..\\..\\x", "tab\tkey", "new\nline", "\u00e9t\u00e9",
                        "\U0001F600", std::string(4000, 'k')};
  for (const auto& key : keys) awkward[key] = key;
  awkward[std::string("nul\0byte", 8)] = "nul";
  json state = {{"awkward", awkward}, {".git", {{".gitmodules", {{"x", 1}}}}}};

  TempDir dir;
  std::string repo = (dir.path() / "state.git").string();
  commit_state(repo, state);
  git(repo, "fsck --strict --full --no-dangling");

  // Reading back through a fresh store gives the same state.
  auto git_dir = GitDir::open(repo);
  REQUIRE(git_dir.is_ok());
  ObjectStore store(make_pack_backend(*git_dir));
  auto head = read_ref(**git_dir, "refs/heads/main");
  REQUIRE(head.is_ok());
  REQUIRE(head->has_value());
  auto commit = parse_commit(store.read(**head)->data);
  REQUIRE(commit.is_ok());
  auto back = read_value(store, Node{kModeTree, commit->tree});
  REQUIRE(back.is_ok());
  CHECK(*back == state);
}

TEST_CASE("git show prints stored values as JSON text") {
  TempDir dir;
  std::string repo = (dir.path() / "state.git").string();
  commit_state(repo, {{"config", {{"db", {{"port", 5432}, {"host", "db1"}, {"tags", {"a", 1}}}}}}});
  CHECK(git(repo, "show main:config/db/port") == "5432\n");
  CHECK(git(repo, "show main:config/db/host") == "\"db1\"\n");
  CHECK(git(repo, "show main:config/db/tags") == "[\"a\",1]\n");
  CHECK(git(repo, "cat-file -t main:config/db") == "tree\n");
  CHECK(git(repo, "log --format=%s main") == "awkward keys\n");
}

TEST_CASE("a fanout state is a valid git tree") {
  json wide = json::object();
  for (int i = 0; i < 3000; ++i) wide["member-" + std::to_string(i)] = i;
  TempDir dir;
  std::string repo = (dir.path() / "state.git").string();
  commit_state(repo, {{"wide", wide}});
  git(repo, "fsck --strict --full --no-dangling");
  std::string top = git(repo, "ls-tree main:wide");
  CHECK(top.find("%%") != std::string::npos);          // buckets, not members
  CHECK(top.find("member-1") == std::string::npos);
}
