// Interop: stock git reads what the `gitstate` command wrote.
#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;

TEST_CASE("git log shows messages and State-Tag trailers and git show reads values",
          "[cli][interop]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /config/db " + q(R"({"host":"db1","port":5432})") +
                   " -m 'add the database' --tag infra --tag db --author 'Ada <ada@example.org>'")
              .exit_code == 0);
  REQUIRE(repo.run("patch -m 'rename the host' -",
                   R"([{"op":"replace","path":"/config/db/host","value":"db2"}])")
              .exit_code == 0);

  CHECK(repo.git("show main:config/db/port").out == "5432\n");
  CHECK(repo.git("show main:config/db/host").out == "\"db2\"\n");
  CHECK(repo.git("show main~1:config/db/host").out == "\"db1\"\n");

  CliResult log =
      repo.git("log --format='%s|%(trailers:key=State-Tag,valueonly,separator=%x2C)' main");
  REQUIRE(log.exit_code == 0);
  CHECK(log.out == "rename the host|\nadd the database|infra,db\nInitialize state|\n");
  CHECK(repo.git("log -1 --format='%an <%ae>' main~1").out == "Ada <ada@example.org>\n");
  CliResult body = repo.git("log -1 --format=%B main~1");
  CHECK(body.out == "add the database\n\nState-Tag: infra\nState-Tag: db\n\n");
  CliResult trailers =
      repo.git("interpret-trailers --parse", repo.git("log -1 --format=%B main~1").out);
  CHECK(trailers.out == "State-Tag: infra\nState-Tag: db\n");
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("gitstate reads commits that stock git made", "[cli][interop]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /a 1").exit_code == 0);
  std::string blob = repo.git("hash-object -w --stdin", "2\n").line();
  std::string tree = repo.git("mktree", "100644 blob " + blob + "\ta\n").line();
  std::string commit =
      repo.run_raw(
              "GIT_AUTHOR_NAME=Git GIT_AUTHOR_EMAIL=git@example.org GIT_COMMITTER_NAME=Git "
              "GIT_COMMITTER_EMAIL=git@example.org git --git-dir=" +
              q(repo.path()) + " commit-tree -p main -m 'from git' " + tree)
          .line();
  REQUIRE(repo.git("update-ref refs/heads/main " + commit).exit_code == 0);
  CHECK(repo.run("get /a").out == "2\n");
  CHECK(repo.run("log -n 1 --json").json()["author"] == "Git <git@example.org>");
  CHECK(repo.run("diff main~1 main").out == "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]\n");
  REQUIRE(repo.fsck_clean());
}
