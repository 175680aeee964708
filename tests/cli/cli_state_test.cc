// End-to-end: init, get, set, rm through the built `gitstate` binary.
#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

TEST_CASE("init creates a bare repository with branch main and state {}", "[cli]") {
  CliRepo repo;
  CliResult init = repo.init();
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.empty());
  CHECK(repo.git("rev-parse --is-bare-repository").out == "true\n");
  CHECK(repo.git("symbolic-ref HEAD").out == "refs/heads/main\n");
  CliResult state = repo.run("get ''");
  REQUIRE(state.exit_code == 0);
  CHECK(state.out == "{}\n");

  SECTION("a second init is refused as bad usage") {
    CliResult again = repo.init();
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("gitstate: ") == 0);
  }
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("set commits once creating parents and get prints canonical JSON", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  CliResult set = repo.run("set /config/db " + q(R"({ "port": 5432, "host": "db1" })"));
  REQUIRE(set.exit_code == 0);
  CHECK(set.line() == repo.head());
  CHECK(set.line().size() == 40);

  CHECK(repo.run("get /config/db").out == "{\"host\":\"db1\",\"port\":5432}\n");
  CHECK(repo.run("get /config/db/port").out == "5432\n");
  CHECK(repo.run("get /config").json() == json::parse(R"({"db":{"host":"db1","port":5432}})"));

  REQUIRE(repo.run("set /config/db/port 6432").exit_code == 0);
  CHECK(repo.run("get /config/db/port").out == "6432\n");
  CHECK(repo.run("get /config/db/port --at main~1").out == "5432\n");
  CHECK(repo.run("get /config/db/port --at " + repo.head("main~1").substr(0, 10)).out == "5432\n");

  SECTION("values of every JSON type round-trip") {
    for (const char* value :
         {"null", "true", "-3", "1.5", "\"text\"", "[1,[2],{\"a\":null}]", "{}", "\"\""}) {
      REQUIRE(repo.run(std::string("set /v ") + q(value)).exit_code == 0);
      CHECK(repo.run("get /v").json() == json::parse(value));
    }
    REQUIRE(repo.run("set /a~1b~0c 1").exit_code == 0);
    CHECK(repo.run("get ''").json()["a/b~c"] == 1);
  }
  SECTION("-b commits to another branch, -m/--author/--tag describe the commit") {
    REQUIRE(repo.run("branch exp").exit_code == 0);
    CliResult set_exp = repo.run(
        "set /flag true -b exp -m 'try the flag' --author 'Ada <ada@example.org>' "
        "--tag ui --tag risky");
    REQUIRE(set_exp.exit_code == 0);
    CHECK(set_exp.line() == repo.head("exp"));
    CHECK(repo.run("get /flag").exit_code == 1);
    CHECK(repo.run("get /flag --at exp").out == "true\n");
    json commit = repo.run("log exp -n 1 --json").json();
    CHECK(commit["message"] == "try the flag");
    CHECK(commit["author"] == "Ada <ada@example.org>");
    CHECK(commit["tags"] == json::array({"ui", "risky"}));
  }
  SECTION("--repo may come after the command, or from GITSTATE_REPO") {
    CHECK(repo.run_raw(q(GITSTATE_BIN) + " get /config/db/port --repo " + q(repo.path())).out ==
          "6432\n");
    CHECK(repo.run_raw("GITSTATE_REPO=" + q(repo.path()) + " " + q(GITSTATE_BIN) +
                       " get /config/db/port")
              .out == "6432\n");
    CHECK(repo.run_raw("cd " + q(repo.path()) + " && " + q(GITSTATE_BIN) + " get /config/db/port")
              .out == "6432\n");
  }
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("rm commits the removal and a missing path exits 1", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /a " + q(R"({"b":1,"c":2})")).exit_code == 0);
  std::string before = repo.head();
  CliResult rm = repo.run("rm /a/b -m 'drop b'");
  REQUIRE(rm.exit_code == 0);
  CHECK(rm.line() == repo.head());
  CHECK(repo.run("get /a").out == "{\"c\":2}\n");

  CliResult missing = repo.run("rm /a/b");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("/a/b") != std::string::npos);
  CHECK(repo.run("rm ''").exit_code == 2);
  CHECK(repo.head("main~1") == before);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("get and set refuse bad input with exit 2 and missing paths with exit 1", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /config/db/port 5432").exit_code == 0);
  std::string head = repo.head();

  struct Case {
    std::string args;
    int exit_code;
    std::string named;  // what the message must name
  };
  const Case cases[] = {
      {"set /config/db " + q(R"({"host":)"), 2, "/config/db"},
      {"set /config/db " + q("{'a':1}"), 2, "/config/db"},
      {"set /config/db db1", 2, "/config/db"},
      {"set config/db 1", 2, "config/db"},
      {"get config/db", 2, "config/db"},
      {"get /config/~2", 2, "~2"},
      {"get /config --at no-such-branch", 2, "no-such-branch"},
      {"get /config --at main~5", 2, "main~5"},
      {"get /config --at 'bad..name'", 2, "bad..name"},
      {"set /x 1 -b no-such-branch", 2, "no-such-branch"},
      {"set /x 1 --author 'nobody'", 2, "--author"},
      {"set /config/db/port/deeper 1", 2, "/config/db/port"},
      {"get /config/nothing", 1, "/config/nothing"},
      {"get /config/db/port/deeper", 1, "/config/db/port/deeper"},
      {"get /config/nothing --at main", 1, "/config/nothing"},
      {"rm /config/nothing", 1, "/config/nothing"},
      {"get /x --perspective public", 2, "perspective"},
      {"set /x 1 --perspective public", 2, "perspective"},
      {"set /x 1 --sign-key key.pem", 2, "--sign-key"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    CliResult result = repo.run(c.args);
    CHECK(result.exit_code == c.exit_code);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("gitstate: ", 0) == 0);
    CHECK(result.err.find(c.named) != std::string::npos);
  }
  CHECK(repo.run_raw("GITSTATE_SIGNING_KEY=key.pem " + q(GITSTATE_BIN) + " --repo " +
                     q(repo.path()) + " set /x 1")
            .exit_code == 2);
  CHECK(repo.head() == head);

  SECTION("--repo naming no state repository is bad usage") {
    CliResult none =
        repo.run_raw(q(GITSTATE_BIN) + " --repo " + q(repo.dir().str() + "/nothing") + " get ''");
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("nothing") != std::string::npos);
  }
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("an oversized value is bad input and commits nothing", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string head = repo.head();
  json patch = json::array(
      {{{"op", "add"}, {"path", "/blob"}, {"value", std::string(size_t{17} << 20, 'x')}}});
  CliResult result = repo.run("patch -", patch.dump());
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err.find("/blob") != std::string::npos);
  CHECK(result.err.find("limit") != std::string::npos);
  CHECK(repo.head() == head);
  REQUIRE(repo.fsck_clean());
}
