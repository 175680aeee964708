// End-to-end: merge, conflicts, resolve, merge --continue/--abort through the `gitstate` binary.
#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

namespace {
// main and feature diverged from {"v":1,"keep":true}: main set /v 2, feature /v 3 and /t "x".
void diverge(const CliRepo& repo) {
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set '' '{\"v\":1,\"keep\":true}'").exit_code == 0);
  REQUIRE(repo.run("branch feature").exit_code == 0);
  REQUIRE(repo.run("set /v 2").exit_code == 0);
  REQUIRE(repo.run("set /v 3 -b feature").exit_code == 0);
  REQUIRE(repo.run("set /t '\"x\"' -b feature").exit_code == 0);
}
}  // namespace

TEST_CASE("merge fast-forwards, makes merge commits, and --no-ff", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("branch feature").exit_code == 0);
  REQUIRE(repo.run("set /a 1 -b feature").exit_code == 0);

  CliResult ff = repo.run("merge feature");
  REQUIRE(ff.exit_code == 0);
  CHECK(ff.json()["result"] == "fast-forward");
  CHECK(ff.json()["commit"] == repo.head("feature"));
  CHECK(repo.head() == repo.head("feature"));
  CHECK(repo.run("merge feature").json()["result"] == "up-to-date");

  REQUIRE(repo.run("set /b 2 -b feature").exit_code == 0);
  CliResult no_ff = repo.run("merge feature --no-ff -m 'bring b' --tag merged");
  REQUIRE(no_ff.exit_code == 0);
  CHECK(no_ff.json()["result"] == "merged");
  json shown = repo.run("show").json();
  CHECK(shown["parents"].size() == 2);
  CHECK(shown["message"] == "bring b");
  CHECK(shown["tags"] == json::array({"merged"}));
  CHECK(repo.run("get ''").json() == json{{"a", 1}, {"b", 2}});

  CHECK(repo.run("merge nowhere").exit_code == 2);
  CHECK(repo.run("merge feature -b nobranch").exit_code == 2);
  CHECK(repo.run("merge feature --strategy sideways").exit_code == 2);
  CHECK(repo.run("merge").exit_code == 2);
  CHECK(repo.run("merge feature --abort").exit_code == 2);
  CHECK(repo.fsck_clean());
}

TEST_CASE("merge stops at conflicts; resolve and --continue finish it later", "[cli]") {
  CliRepo repo;
  diverge(repo);
  std::string ours = repo.head();
  std::string theirs = repo.head("feature");

  CliResult stopped = repo.run("merge feature");
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.json()["result"] == "conflicts");
  CHECK(stopped.json()["conflicts"] ==
        json::array({{{"path", "/v"}, {"base", 1}, {"ours", 2}, {"theirs", 3}}}));
  CHECK(stopped.err.find("resolve") != std::string::npos);
  CHECK(repo.head() == ours);

  CHECK(repo.run("conflicts").json() ==
        json::array({{{"path", "/v"}, {"base", 1}, {"ours", 2}, {"theirs", 3}}}));
  CliResult second = repo.run("merge feature");
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("stopped") != std::string::npos);
  CliResult early = repo.run("merge --continue");
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("/v") != std::string::npos);

  CHECK(repo.run("resolve /v").exit_code == 2);
  CHECK(repo.run("resolve /v --ours --theirs").exit_code == 2);
  CHECK(repo.run("resolve /v --value '{bad'").exit_code == 2);
  CHECK(repo.run("resolve /nothing --ours").exit_code == 1);
  REQUIRE(repo.run("resolve /v --value '[\"both\",2,3]'").exit_code == 0);
  CHECK(repo.run("conflicts").json() == json::array());

  CliResult done = repo.run("merge --continue");
  REQUIRE(done.exit_code == 0);
  CHECK(done.line() == repo.head());
  json shown = repo.run("show").json();
  CHECK(shown["parents"] == json::array({ours, theirs}));
  CHECK(shown["message"] == "Merge feature into main");
  CHECK(repo.run("get ''").json() ==
        json{{"v", json::array({"both", 2, 3})}, {"keep", true}, {"t", "x"}});
  CHECK(repo.run("conflicts").exit_code == 1);
  CHECK(repo.run("merge --continue").exit_code == 1);

  CliResult graph = repo.git("log --graph --format=%s main");
  CHECK(graph.out.find("Merge feature into main") != std::string::npos);
  CHECK(graph.out.find("|\\") != std::string::npos);
  CHECK(repo.git("merge-base main~1 feature").out == repo.run("merge-base main~1 feature").out);
  CHECK(repo.fsck_clean());
}

TEST_CASE("merge --abort drops a stopped merge; strategies settle conflicts at once", "[cli]") {
  CliRepo repo;
  diverge(repo);
  std::string ours = repo.head();
  REQUIRE(repo.run("merge feature").exit_code == 1);
  REQUIRE(repo.run("merge --abort").exit_code == 0);
  CHECK(repo.run("merge --abort").exit_code == 1);
  CHECK(repo.run("conflicts").exit_code == 1);
  CHECK(repo.head() == ours);

  CliResult theirs = repo.run("merge feature --strategy theirs");
  REQUIRE(theirs.exit_code == 0);
  CHECK(theirs.json()["resolved"] == json::array({{{"path", "/v"}, {"with", "theirs"}}}));
  CHECK(repo.run("get /v").json() == 3);
  CHECK(repo.fsck_clean());
}

TEST_CASE("merge rules come from the git configuration", "[cli]") {
  CliRepo repo;
  diverge(repo);
  REQUIRE(repo.git("config --add gitstate.mergeRule '/v ours'").exit_code == 0);
  CliResult merged = repo.run("merge feature");
  REQUIRE(merged.exit_code == 0);
  CHECK(repo.run("get /v").json() == 2);
  REQUIRE(repo.git("config --add gitstate.mergeRule 'bad'").exit_code == 0);
  REQUIRE(repo.run("set /v 9 -b feature").exit_code == 0);
  REQUIRE(repo.run("set /w 1").exit_code == 0);
  CHECK(repo.run("merge feature").exit_code == 2);
}

TEST_CASE("revert and cherry-pick commit one change; conflicts stop them", "[cli]") {
  CliRepo repo;
  diverge(repo);
  std::string picked = repo.head("feature");
  CliResult pick = repo.run("cherry-pick feature");
  REQUIRE(pick.exit_code == 0);
  CHECK(pick.json()["result"] == "merged");
  json shown = repo.run("show").json();
  CHECK(shown["parents"].size() == 1);
  CHECK(shown["message"] == "set /t\n\n(cherry picked from commit " + picked + ")");
  CHECK(repo.run("get /t").json() == "x");

  CliResult undo = repo.run("revert main -m 'drop t'");
  REQUIRE(undo.exit_code == 0);
  CHECK(repo.run("get /t").exit_code == 1);
  CHECK(repo.run("show").json()["message"] == "drop t");

  CliResult stopped = repo.run("cherry-pick feature~1");
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.json()["conflicts"][0]["path"] == "/v");
  REQUIRE(repo.run("resolve /v --theirs").exit_code == 0);
  REQUIRE(repo.run("merge --continue").exit_code == 0);
  CHECK(repo.run("get /v").json() == 3);
  CHECK(repo.run("show").json()["parents"].size() == 1);
  CHECK(repo.run("revert nowhere").exit_code == 2);
  CHECK(repo.run("cherry-pick").exit_code == 2);
  CHECK(repo.fsck_clean());
}
