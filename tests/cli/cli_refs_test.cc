// End-to-end: branch, tag, rev-parse, merge-base and update-ref through the `gitstate` binary.
#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

TEST_CASE("branch creates, lists and deletes branches", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  REQUIRE(repo.run("set /a 1").exit_code == 0);

  CliResult created = repo.run("branch exp");
  REQUIRE(created.exit_code == 0);
  CHECK(created.line() == repo.head());
  CliResult from_root = repo.run("branch old main~1");
  REQUIRE(from_root.exit_code == 0);
  CHECK(from_root.line() == root);

  json expected = json::array({{{"name", "exp"}, {"commit", repo.head()}, {"current", false}},
                               {{"name", "main"}, {"commit", repo.head()}, {"current", true}},
                               {{"name", "old"}, {"commit", root}, {"current", false}}});
  CHECK(repo.run("branch").json() == expected);
  CHECK(repo.run("branch --list").json() == expected);
  CHECK(repo.git("for-each-ref --format='%(refname)' refs/heads").out ==
        "refs/heads/exp\nrefs/heads/main\nrefs/heads/old\n");

  CHECK(repo.run("branch exp").exit_code == 1);
  CHECK(repo.run("branch 'bad..name'").exit_code == 2);
  CHECK(repo.run("branch new nowhere").exit_code == 2);
  CHECK(repo.run("branch --delete main").exit_code == 2);
  CHECK(repo.run("branch --delete nothing").exit_code == 1);
  CHECK(repo.run("branch --list --delete exp").exit_code == 2);

  REQUIRE(repo.run("branch --delete old").exit_code == 0);
  REQUIRE(repo.run("branch -d exp").exit_code == 0);
  CHECK(repo.run("branch").json().size() == 1);
  CHECK(repo.run("rev-parse exp").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("tag creates, lists and deletes named versions", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  REQUIRE(repo.run("set /a 1").exit_code == 0);

  CliResult v1 = repo.run("tag v1");
  REQUIRE(v1.exit_code == 0);
  CHECK(v1.line() == repo.head());
  REQUIRE(repo.run("tag v0 main~1").line() == root);
  CHECK(repo.run("tag").json() == json::array({{{"name", "v0"}, {"commit", root}},
                                               {{"name", "v1"}, {"commit", repo.head()}}}));
  CHECK(repo.run("get /a --at v0").exit_code == 1);
  CHECK(repo.run("get /a --at v1").out == "1\n");
  CHECK(repo.git("rev-parse v1").out == repo.head() + "\n");

  CHECK(repo.run("tag v1").exit_code == 1);
  CHECK(repo.run("tag 'v 2'").exit_code == 2);
  CHECK(repo.run("tag v2 nowhere").exit_code == 2);
  CHECK(repo.run("tag --delete v9").exit_code == 1);
  REQUIRE(repo.run("tag --delete v0").exit_code == 0);
  CHECK(repo.run("tag --list").json().size() == 1);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("rev-parse resolves every revision form to the full commit id", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  for (int i = 0; i < 3; ++i) REQUIRE(repo.run("set /n " + std::to_string(i)).exit_code == 0);
  std::string head = repo.git("rev-parse main").line();
  CHECK(repo.run("rev-parse main").line() == head);
  CHECK(repo.run("rev-parse HEAD").line() == head);
  CHECK(repo.run("rev-parse refs/heads/main").line() == head);
  CHECK(repo.run("rev-parse " + head.substr(0, 8)).line() == head);
  CHECK(repo.run("rev-parse main~2").line() == repo.git("rev-parse main~2").line());
  CHECK(repo.run("rev-parse main^").line() == repo.git("rev-parse main^").line());
  CHECK(repo.run("rev-parse main^^1~1").line() == repo.git("rev-parse main~3").line());
  CHECK(repo.run("rev-parse main main~1").out ==
        head + "\n" + repo.git("rev-parse main~1").line() + "\n");

  CHECK(repo.run("rev-parse main~4").exit_code == 2);
  CHECK(repo.run("rev-parse main^2").exit_code == 2);
  CHECK(repo.run("rev-parse nowhere").exit_code == 2);
  CHECK(repo.run("rev-parse 'a b'").exit_code == 2);
  CHECK(repo.run("rev-parse").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("merge-base prints the best common ancestor", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /a 1").exit_code == 0);
  std::string fork = repo.head();
  REQUIRE(repo.run("branch side").exit_code == 0);
  REQUIRE(repo.run("set /b 1").exit_code == 0);
  REQUIRE(repo.run("set /c 1 -b side").exit_code == 0);
  CliResult base = repo.run("merge-base main side");
  REQUIRE(base.exit_code == 0);
  CHECK(base.out == fork + "\n");
  CHECK(repo.run("merge-base main main~1").out == fork + "\n");
  CHECK(repo.run("merge-base main nowhere").exit_code == 2);

  SECTION("unrelated histories have none: exit 1") {
    std::string tree = repo.git("hash-object -t tree -w --stdin", "").line();
    std::string orphan = repo.run_raw(
                                 "GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@b GIT_COMMITTER_NAME=a "
                                 "GIT_COMMITTER_EMAIL=a@b git --git-dir=" +
                                 q(repo.path()) + " commit-tree -m orphan " + tree)
                             .line();
    REQUIRE(orphan.size() == 40);
    REQUIRE(repo.run("update-ref refs/heads/orphan " + orphan + " ''").exit_code == 0);
    CliResult none = repo.run("merge-base main orphan");
    CHECK(none.exit_code == 1);
    CHECK(none.out.empty());
  }
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("update-ref moves a ref only from the expected value", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  REQUIRE(repo.run("set /a 1").exit_code == 0);
  std::string head = repo.head();

  CHECK(repo.run("update-ref refs/heads/main " + root + " " + head).exit_code == 0);
  CHECK(repo.head() == root);
  CliResult stale = repo.run("update-ref refs/heads/main " + head + " " + head);
  CHECK(stale.exit_code == 1);
  CHECK(stale.err.find("refs/heads/main") != std::string::npos);
  CHECK(repo.head() == root);
  CHECK(repo.run("update-ref refs/heads/main " + head).exit_code == 0);
  CHECK(repo.head() == head);

  CHECK(repo.run("update-ref refs/heads/new main~1 " + std::string(40, '0')).exit_code == 0);
  CHECK(repo.head("new") == root);
  CHECK(repo.run("update-ref refs/heads/new main ''").exit_code == 1);
  CHECK(repo.run("update-ref refs/gitstate/mark main~1").exit_code == 0);
  CHECK(repo.git("rev-parse refs/gitstate/mark").line() == root);

  CHECK(repo.run("update-ref refs/heads/main nowhere").exit_code == 2);
  CHECK(repo.run("update-ref refs/heads/main main nowhere").exit_code == 2);
  CHECK(repo.run("update-ref 'refs/heads/bad..name' main").exit_code == 2);
  CHECK(repo.run("update-ref refs/heads/main").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}
