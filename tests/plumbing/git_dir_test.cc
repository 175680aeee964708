#include "gitstate/plumbing/git_dir.h"

#include <catch2/catch.hpp>
#include <fstream>

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
}  // namespace

TEST_CASE("init creates a bare repository that stock git reads, with HEAD on an unborn main") {
  TempDir tmp;
  std::string path = tmp.str() + "/a/b/store";  // parents are created
  auto dir = GitDir::init(path);
  REQUIRE(dir.is_ok());
  CHECK((*dir)->path() == path);
  CHECK(trim(run_command(git(path) + "rev-parse --is-bare-repository").output) == "true");
  CHECK(trim(run_command(git(path) + "symbolic-ref HEAD").output) == "refs/heads/main");
  CHECK(run_command(git(path) + "rev-parse --verify -q HEAD").exit_code != 0);  // unborn
  CHECK(trim(run_command(git(path) + "config gitstate.format").output) == "1");
  CHECK(trim(run_command(git(path) + "config core.logAllRefUpdates").output) == "true");
  CHECK(run_command(git(path) + "fsck --strict 2>&1").exit_code == 0);
}

TEST_CASE("init refuses an existing store, a non-repository and a non-bare repository") {
  TempDir tmp;
  REQUIRE(GitDir::init(tmp.str() + "/store").is_ok());
  auto again = GitDir::init(tmp.str() + "/store");
  REQUIRE(again.status().code() == Code::kInvalid);
  CHECK(again.status().message().find("already a gitstate repository") != std::string::npos);

  std::filesystem::create_directories(tmp.path() / "full");
  std::ofstream(tmp.path() / "full" / "data.txt") << "hello";
  CHECK(GitDir::init(tmp.str() + "/full").status().code() == Code::kInvalid);
  CHECK(std::filesystem::exists(tmp.path() / "full" / "data.txt"));

  std::ofstream(tmp.path() / "file") << "x";
  CHECK(GitDir::init(tmp.str() + "/file").status().code() == Code::kInvalid);

  REQUIRE(run_command("git init -q " + shell_quote(tmp.str() + "/worktree")).exit_code == 0);
  CHECK(GitDir::init(tmp.str() + "/worktree").status().code() == Code::kInvalid);
}

TEST_CASE("init uses an empty directory and adopts a plain bare repository") {
  TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "empty");
  REQUIRE(GitDir::init(tmp.str() + "/empty").is_ok());
  CHECK(GitDir::open(tmp.str() + "/empty").is_ok());

  std::string bare = tmp.str() + "/bare.git";
  REQUIRE(run_command("git init -q --bare -b trunk " + shell_quote(bare)).exit_code == 0);
  CHECK(GitDir::open(bare).status().code() == Code::kInvalid);
  REQUIRE(GitDir::init(bare).is_ok());
  CHECK(GitDir::open(bare).is_ok());
  CHECK(trim(run_command(git(bare) + "symbolic-ref HEAD").output) ==
        "refs/heads/trunk");  // left alone
}

TEST_CASE("open reports missing, non-bare and foreign repositories distinctly") {
  TempDir tmp;
  CHECK(GitDir::open(tmp.str() + "/nothing").status().code() == Code::kNotFound);
  CHECK(GitDir::open(tmp.str()).status().code() == Code::kNotFound);  // an empty directory

  REQUIRE(run_command("git init -q " + shell_quote(tmp.str() + "/worktree")).exit_code == 0);
  auto worktree = GitDir::open(tmp.str() + "/worktree");
  REQUIRE(worktree.status().code() == Code::kInvalid);
  CHECK(worktree.status().message().find("not a bare") != std::string::npos);

  std::string bare = tmp.str() + "/bare.git";
  REQUIRE(run_command("git init -q --bare " + shell_quote(bare)).exit_code == 0);
  auto foreign = GitDir::open(bare);
  REQUIRE(foreign.status().code() == Code::kInvalid);
  CHECK(foreign.status().message().find("gitstate.format") != std::string::npos);

  REQUIRE(run_command(git(bare) + "config gitstate.format 2").exit_code == 0);
  auto future = GitDir::open(bare);
  REQUIRE(future.status().code() == Code::kInvalid);
  CHECK(future.status().message().find("format 2") != std::string::npos);
}

TEST_CASE("config values round-trip and changes by other processes are seen") {
  TempDir tmp;
  std::string path = tmp.str() + "/store";
  auto dir = GitDir::init(path);
  REQUIRE(dir.is_ok());
  auto missing = (*dir)->config_get("gitstate.nothing");
  REQUIRE(missing.is_ok());
  CHECK(!missing->has_value());

  REQUIRE((*dir)->config_set("gitstate.author", "A U Thor <a@example.com>").is_ok());
  CHECK(trim(run_command(git(path) + "config gitstate.author").output) ==
        "A U Thor <a@example.com>");
  REQUIRE(run_command(git(path) + "config gitstate.author 'Other <o@example.com>'").exit_code == 0);
  auto value = (*dir)->config_get("gitstate.author");
  REQUIRE(value.is_ok());
  CHECK(value->value_or("") == "Other <o@example.com>");

  CHECK((*dir)->config_get("not a key").status().code() == Code::kInvalid);
  CHECK((*dir)->config_set("nodot", "x").code() == Code::kInvalid);
}

TEST_CASE("multi-valued config values are read in order") {
  TempDir tmp;
  std::string path = tmp.str() + "/store";
  auto dir = GitDir::init(path);
  REQUIRE(dir.is_ok());
  auto none = (*dir)->config_get_all("gitstate.mergeRule");
  REQUIRE(none.is_ok());
  CHECK(none->empty());
  REQUIRE(run_command(git(path) + "config --add gitstate.mergeRule '/a ours'").exit_code == 0);
  REQUIRE(run_command(git(path) + "config --add gitstate.mergeRule '/b theirs'").exit_code == 0);
  auto values = (*dir)->config_get_all("gitstate.mergeRule");
  REQUIRE(values.is_ok());
  CHECK(*values == std::vector<std::string>{"/a ours", "/b theirs"});
  CHECK((*dir)->config_get_all("not a key").status().code() == Code::kInvalid);
}
