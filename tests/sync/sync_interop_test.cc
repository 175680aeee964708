// Interop with stock git on both sides of a sync: what gitstate pushed, git
// clones and reads; what git built by docs/data-model.md, gitstate clones.
#include <catch2/catch.hpp>

#include "sync/sync_util.h"

using gitstate::test::CliRepo;
using gitstate::test::clone_into;
using gitstate::test::q;
using gitstate::test::run_command;
using gitstate::test::Servers;
using gitstate::test::TempDir;
using nlohmann::json;

TEST_CASE("stock git clones what gitstate pushed, and gitstate clones what git built", "[sync]") {
  Servers servers("git");
  std::string url = servers.create("state.git");
  CliRepo a;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("set /config/db '{\"host\":\"db1\",\"port\":5432}' --tag infra").exit_code == 0);
  REQUIRE(a.run("set /config/db/port 6432").exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  REQUIRE(a.run("push origin -q").exit_code == 0);

  TempDir work;
  std::string copy = (work.path() / "copy.git").string();
  REQUIRE(run_command("git clone -q --bare " + q(url) + " " + q(copy) + " 2>&1").exit_code == 0);
  std::string git = "git --git-dir=" + q(copy) + " ";
  CHECK(run_command(git + "show main:config/db/port").output == "6432\n");
  CHECK(run_command(git + "show main:config/db/host").output == "\"db1\"\n");
  auto fsck = run_command(git + "fsck --strict --full --no-progress 2>&1");
  CHECK(fsck.exit_code == 0);
  CHECK(fsck.output.find("error") == std::string::npos);
  CHECK(fsck.output.find("warning") == std::string::npos);

  // A state built by stock git: {"config": {"name": "x", "list": [1, 2]}}.
  std::string built = servers.path("built.git");
  run_command("git init -q --bare --initial-branch=main " + q(built));
  std::string bgit = "git --git-dir=" + q(built) + " ";
  auto id = [&](const std::string& command) {
    std::string out = run_command(command).output;
    return out.substr(0, out.find('\n'));
  };
  std::string name = id("printf '\"x\"\\n' | " + bgit + "hash-object -w --stdin");
  std::string list = id("printf '[1,2]\\n' | " + bgit + "hash-object -w --stdin");
  std::string config = id("printf '100644 blob " + list + "\\tlist\\n100644 blob " + name +
                          "\\tname\\n' | " + bgit + "mktree");
  std::string root = id("printf '040000 tree " + config + "\\tconfig\\n' | " + bgit + "mktree");
  std::string commit = id(bgit + "commit-tree " + root + " -m 'built by git'");
  run_command(bgit + "update-ref refs/heads/main " + commit);

  CliRepo b;
  REQUIRE(clone_into(b, servers.url("built.git"), "-q").exit_code == 0);
  CHECK(b.head() == commit);
  CHECK(b.run("get /config").json() == json{{"name", "x"}, {"list", {1, 2}}});
  REQUIRE(b.run("set /config/name '\"y\"'").exit_code == 0);
  REQUIRE(b.run("push origin -q").exit_code == 0);
  CHECK(run_command(bgit + "show main:config/name").output == "\"y\"\n");
}
