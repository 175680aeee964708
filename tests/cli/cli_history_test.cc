// End-to-end: log, show, diff, blame and audit through the `gitstate` binary.
#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

namespace {

// A repository with four commits after the root, at fixed times:
//   t1 1700000100  set /config/db         by Ada,   tag infra
//   t2 1700086400  set /config/db/port    by Bob,   tags infra, db
//   t3 1700172800  set /features/beta     by Ada
//   t4 1700259200  rm  /config/db/host    by Carol
void make_history(const CliRepo& repo) {
  REQUIRE(repo.init().exit_code == 0);
  std::string lines =
      R"({"patch":[{"op":"add","path":"/config","value":{"db":{"host":"db1","port":5432}}}],"message":"add the database","author":"Ada <ada@example.org>","tags":["infra"],"time":1700000100})"
      "\n"
      R"({"patch":[{"op":"replace","path":"/config/db/port","value":6432}],"message":"move to the pooler\n\nThe pooler listens on 6432.","author":"Bob <bob@example.org>","tags":["infra","db"],"time":1700086400})"
      "\n"
      R"({"patch":[{"op":"add","path":"/features","value":{"beta":true}}],"message":"beta on","author":"Ada <ada@example.org>","time":1700172800})"
      "\n"
      R"({"patch":[{"op":"remove","path":"/config/db/host"}],"message":"drop the host","author":"Carol <carol@example.org>","time":1700259200})"
      "\n";
  REQUIRE(repo.run("import", lines).exit_code == 0);
}

std::vector<std::string> messages(const CliResult& result) {
  std::vector<std::string> out;
  for (const json& line : result.json_lines()) out.push_back(line["message"]);
  return out;
}

}  // namespace

TEST_CASE("log --json prints one JSON line per commit newest first and filters", "[cli]") {
  CliRepo repo;
  make_history(repo);
  CliResult log = repo.run("log --json");
  REQUIRE(log.exit_code == 0);
  auto lines = log.json_lines();
  REQUIRE(lines.size() == 5);
  const json& second = lines[2];
  CHECK(second["commit"] == repo.head("main~2"));
  CHECK(second["parents"] == json::array({repo.head("main~3")}));
  CHECK(second["author"] == "Bob <bob@example.org>");
  CHECK(second["time"] == 1700086400);
  CHECK(second["message"] == "move to the pooler\n\nThe pooler listens on 6432.");
  CHECK(second["tags"] == json::array({"infra", "db"}));
  CHECK(lines[4]["parents"] == json::array());
  for (const json& line : lines) {
    CHECK(line.size() == 8);
    CHECK(line["signer"].is_null());
    CHECK(line["signature"] == json{{"status", "unsigned"}});
  }

  using Messages = std::vector<std::string>;
  CHECK(messages(repo.run("log --json main~2")) ==
        Messages{"move to the pooler\n\nThe pooler listens on 6432.", "add the database",
                 "Initialize state"});
  CHECK(messages(repo.run("log --json --path /config/db/port")) ==
        Messages{"move to the pooler\n\nThe pooler listens on 6432.", "add the database"});
  CHECK(messages(repo.run("log --json --path /features")) == Messages{"beta on"});
  CHECK(messages(repo.run("log --json --author ada@")) == Messages{"beta on", "add the database"});
  CHECK(messages(repo.run("log --json --tag db")).size() == 1);
  CHECK(messages(repo.run("log --json --tag infra --author Ada")) == Messages{"add the database"});
  CHECK(messages(repo.run("log --json --since 1700086400 --until 1700172800")) ==
        Messages{"beta on", "move to the pooler\n\nThe pooler listens on 6432."});
  // 1700086400 is 2023-11-15T22:13:20Z; 1700172800 is 2023-11-16T22:13:20Z.
  CHECK(messages(repo.run("log --json --since 2023-11-16 --until 2023-11-16")) ==
        Messages{"beta on"});
  CHECK(messages(repo.run(
            "log --json --since 2023-11-15T22:13:20Z --until '2023-11-16T23:13:20+01:00'")) ==
        Messages{"beta on", "move to the pooler\n\nThe pooler listens on 6432."});
  CHECK(messages(repo.run("log --json -n 2")).size() == 2);
  CHECK(repo.run("log --json --path /nothing").out.empty());

  SECTION("bad filters and revisions are bad input") {
    CHECK(repo.run("log --since yesterday").exit_code == 2);
    CHECK(repo.run("log --until 2023-13-01").exit_code == 2);
    CHECK(repo.run("log no-such-branch").exit_code == 2);
    CHECK(repo.run("log --path no-slash").exit_code == 2);
    CHECK(repo.run("log --perspective public").exit_code == 2);
  }
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("log without --json prints the human form", "[cli]") {
  CliRepo repo;
  make_history(repo);
  CliResult log = repo.run("log -n 2 main~1");
  REQUIRE(log.exit_code == 0);
  std::string expected = "commit " + repo.head("main~1") +
                         "\n"
                         "Author: Ada <ada@example.org>\n"
                         "Date:   2023-11-16T22:13:20Z\n"
                         "\n"
                         "    beta on\n"
                         "\n"
                         "commit " +
                         repo.head("main~2") +
                         "\n"
                         "Author: Bob <bob@example.org>\n"
                         "Date:   2023-11-15T22:13:20Z\n"
                         "Tags:   infra, db\n"
                         "\n"
                         "    move to the pooler\n"
                         "\n"
                         "    The pooler listens on 6432.\n"
                         "\n";
  CHECK(log.out == expected);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("show prints a commit's metadata and delta as one JSON document", "[cli]") {
  CliRepo repo;
  make_history(repo);
  CliResult show = repo.run("show main~2");
  REQUIRE(show.exit_code == 0);
  json shown = show.json();
  CHECK(shown["commit"] == repo.head("main~2"));
  CHECK(shown["author"] == "Bob <bob@example.org>");
  CHECK(shown["tags"] == json::array({"infra", "db"}));
  CHECK(shown["patch"] ==
        json::parse(R"([{"op":"replace","path":"/config/db/port","value":6432}])"));
  CHECK(repo.run("show").json()["patch"] ==
        json::parse(R"([{"op":"remove","path":"/config/db/host"}])"));
  CHECK(repo.run("show main~4").json()["patch"] == json::array());
  CHECK(repo.run("show main~9").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("diff prints the RFC 6902 patch between two revisions and it applies", "[cli]") {
  CliRepo repo;
  make_history(repo);
  CliResult diff = repo.run("diff main~4 main");
  REQUIRE(diff.exit_code == 0);
  json patch = diff.json();
  REQUIRE(patch.is_array());
  json old_state = repo.run("get '' --at main~4").json();
  CHECK(old_state.patch(patch) == repo.run("get ''").json());

  CHECK(repo.run("diff main main").json() == json::array());
  CHECK(repo.run("diff main~2 main~1 --path /config").json() == json::array());
  CHECK(repo.run("diff main~3 main~2 --path /config").json() ==
        json::parse(R"([{"op":"replace","path":"/config/db/port","value":6432}])"));
  CHECK(repo.run("diff main~2 main~1").json() ==
        json::parse(R"([{"op":"add","path":"/features","value":{"beta":true}}])"));

  SECTION("the patch of diff, applied with gitstate patch, reproduces the state") {
    REQUIRE(repo.run("branch replay main~4").exit_code == 0);
    REQUIRE(repo.run("patch - -b replay", diff.out).exit_code == 0);
    CHECK(repo.run("diff main replay").json() == json::array());
  }
  CHECK(repo.run("diff main~1 nowhere").exit_code == 2);
  CHECK(repo.run("diff main").exit_code == 2);
  CHECK(repo.run("diff main~1 main --path bad").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("blame prints for each leaf the commit that last changed it", "[cli]") {
  CliRepo repo;
  make_history(repo);
  CliResult blame = repo.run("blame ''");
  REQUIRE(blame.exit_code == 0);
  json entries = blame.json();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0] == json({{"path", "/config/db/port"},
                            {"commit", repo.head("main~2")},
                            {"author", "Bob <bob@example.org>"},
                            {"time", 1700086400},
                            {"signer", nullptr},
                            {"signature", {{"status", "unsigned"}}}}));
  CHECK(entries[1]["path"] == "/features/beta");
  CHECK(entries[1]["commit"] == repo.head("main~1"));

  json at = repo.run("blame /config/db --at main~3").json();
  REQUIRE(at.size() == 2);
  CHECK(at[0]["path"] == "/config/db/host");
  CHECK(at[0]["commit"] == repo.head("main~3"));
  CHECK(repo.run("blame /config/db/host").exit_code == 1);
  CHECK(repo.run("blame /config --at nowhere").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("audit prints one JSON line per changed leaf, filtered by path and time", "[cli]") {
  CliRepo repo;
  make_history(repo);
  CliResult audit = repo.run("audit --path /config");
  REQUIRE(audit.exit_code == 0);
  auto records = audit.json_lines();
  REQUIRE(records.size() == 4);
  CHECK(records[0] == json({{"commit", repo.head("main")},
                            {"author", "Carol <carol@example.org>"},
                            {"committer", "Carol <carol@example.org>"},
                            {"time", 1700259200},
                            {"path", "/config/db/host"},
                            {"op", "remove"},
                            {"old", "db1"},
                            {"message", "drop the host"},
                            {"tags", json::array()},
                            {"signer", nullptr},
                            {"signature", {{"status", "unsigned"}}}}));
  CHECK(records[1]["op"] == "replace");
  CHECK(records[1]["old"] == 5432);
  CHECK(records[1]["new"] == 6432);
  CHECK(records[1]["tags"] == json::array({"infra", "db"}));
  // The added object is one record per leaf.
  CHECK(records[2]["path"] == "/config/db/host");
  CHECK(records[2]["op"] == "add");
  CHECK(records[2]["new"] == "db1");
  CHECK(!records[2].contains("old"));
  CHECK(records[3]["path"] == "/config/db/port");

  auto range = repo.run("audit --since 2023-11-15 --until 2023-11-16").json_lines();
  REQUIRE(range.size() == 2);
  CHECK(range[0]["path"] == "/features/beta");
  CHECK(range[1]["path"] == "/config/db/port");
  CHECK(repo.run("audit main~3 --first-parent").json_lines().size() == 2);

  CHECK(repo.run("audit nowhere").exit_code == 2);
  CHECK(repo.run("audit --path config").exit_code == 2);
  CHECK(repo.run("audit --since someday").exit_code == 2);
  CHECK(repo.run("audit --allowed-signers /nonexistent/file").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}
