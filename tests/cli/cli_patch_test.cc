// End-to-end: patch (RFC 6902 and RFC 7386) and import through the `gitstate` binary.
#include <fstream>

#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

TEST_CASE("patch applies an RFC 6902 patch from a file or stdin as one commit", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /config " + q(R"({"db":{"host":"db1","port":5432}})")).exit_code == 0);
  std::string before = repo.head();

  std::string file = repo.dir().str() + "/patch.json";
  std::ofstream(file) << R"([{"op":"test","path":"/config/db/port","value":5432},
                             {"op":"copy","from":"/config/db","path":"/config/replica"},
                             {"op":"replace","path":"/config/replica/host","value":"db2"},
                             {"op":"add","path":"/list","value":[1,3]},
                             {"op":"add","path":"/list/1","value":2},
                             {"op":"move","from":"/config/db/host","path":"/config/primary"}])";
  CliResult patched = repo.run("patch " + q(file) + " -m 'add a replica' --tag infra");
  REQUIRE(patched.exit_code == 0);
  CHECK(patched.line() == repo.head());
  CHECK(repo.head("main~1") == before);
  CHECK(repo.run("get ''").json() ==
        json::parse(
            R"({"config":{"db":{"port":5432},"primary":"db1","replica":{"host":"db2","port":5432}},
                        "list":[1,2,3]})"));

  CliResult from_stdin = repo.run("patch -", R"([{"op":"remove","path":"/list"}])");
  REQUIRE(from_stdin.exit_code == 0);
  CHECK(repo.run("get /list").exit_code == 1);

  SECTION("a failing operation rejects the whole patch and changes nothing") {
    std::string head = repo.head();
    CliResult failed = repo.run("patch -", R"([{"op":"remove","path":"/config/primary"},
                                                 {"op":"test","path":"/config/db/port","value":1}])");
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("/config/db/port") != std::string::npos);
    CliResult missing = repo.run("patch -", R"([{"op":"add","path":"/no/parent","value":1}])");
    CHECK(missing.exit_code == 1);
    CliResult bad_op = repo.run("patch -", R"([{"op":"frobnicate","path":"/a"}])");
    CHECK(bad_op.exit_code == 2);
    CliResult not_a_patch = repo.run("patch -", R"({"op":"add","path":"/a","value":1})");
    CHECK(not_a_patch.exit_code == 2);
    CliResult malformed = repo.run("patch " + q(file + ".broken"), "");
    CHECK(malformed.exit_code == 2);
    CHECK(malformed.err.find("patch.json.broken") != std::string::npos);
    std::ofstream(file) << "[{\"op\":";
    CliResult truncated = repo.run("patch " + q(file));
    CHECK(truncated.exit_code == 2);
    CHECK(truncated.err.find("patch.json") != std::string::npos);
    CHECK(repo.head() == head);
    CHECK(repo.run("get /config/primary").out == "\"db1\"\n");
  }
  SECTION("--merge-patch applies RFC 7386") {
    CliResult merged =
        repo.run("patch --merge-patch -", R"({"config":{"db":{"port":6432},"primary":null}})");
    REQUIRE(merged.exit_code == 0);
    CHECK(repo.run("get /config").json() ==
          json::parse(R"({"db":{"port":6432},"replica":{"host":"db2","port":5432}})"));
    CHECK(repo.run("patch --merge-patch -", "[1]").exit_code == 2);
  }
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("import commits one JSON line per commit and prints the final commit id", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  std::string lines;
  for (int i = 1; i <= 5; ++i) {
    json line = {{"patch", json::array({{{"op", "add"},
                                         {"path", "/sessions/s" + std::to_string(i)},
                                         {"value", {{"user", "u" + std::to_string(i)}}}}})},
                 {"message", "session " + std::to_string(i)},
                 {"author", "Importer <imp@example.org>"},
                 {"tags", {"session"}},
                 {"time", 1700000000 + i}};
    if (i == 1) {
      json make_parent = {{"op", "add"}, {"path", "/sessions"}, {"value", json::object()}};
      line["patch"].insert(line["patch"].begin(), make_parent);
    }
    lines += line.dump() + "\n";
  }
  lines += "\n";
  CliResult imported = repo.run("import", lines);
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.line() == repo.head());
  CHECK(repo.head("main~5") == root);
  CHECK(repo.run("get /sessions/s3/user").out == "\"u3\"\n");

  auto log = repo.run("log --json").json_lines();
  REQUIRE(log.size() == 6);
  CHECK(log[0]["message"] == "session 5");
  CHECK(log[0]["time"] == 1700000005);
  CHECK(log[0]["author"] == "Importer <imp@example.org>");
  CHECK(log[0]["tags"] == json::array({"session"}));

  SECTION("a bad line rejects the whole import, naming the line") {
    std::string head = repo.head();
    CliResult bad = repo.run(
        "import", "{\"patch\":[]}\n{\"patch\":[{\"op\":\"remove\",\"path\":\"/nothing\"}]}\n");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("line 2") != std::string::npos);
    CliResult malformed = repo.run("import", "{\"patch\":[]}\n{\"patch\":\n");
    CHECK(malformed.exit_code == 2);
    CHECK(malformed.err.find("line 2") != std::string::npos);
    CHECK(repo.run("import", "{\"patch\":[],\"extra\":1}\n").exit_code == 2);
    CHECK(repo.head() == head);
  }
  SECTION("-b imports onto another branch; an unknown branch is bad input") {
    REQUIRE(repo.run("branch side " + q(root)).exit_code == 0);
    CliResult side = repo.run("import -b side", "{\"merge_patch\":{\"side\":true}}\n");
    REQUIRE(side.exit_code == 0);
    CHECK(side.line() == repo.head("side"));
    CHECK(repo.run("get '' --at side").out == "{\"side\":true}\n");
    CHECK(repo.run("import -b nowhere", "{\"patch\":[]}\n").exit_code == 2);
  }
  REQUIRE(repo.fsck_clean());
}
