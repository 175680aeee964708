// End-to-end: hash-value, cat-object and ls-tree through the `gitstate` binary.
#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

TEST_CASE("hash-value gives the id a value gets when stored, without writing it", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  CliResult port = repo.run("hash-value 5432");
  REQUIRE(port.exit_code == 0);
  CHECK(port.line() == repo.git("hash-object --stdin", "5432\n").line());
  CHECK(repo.git("cat-file -e " + port.line()).exit_code != 0);

  CliResult db = repo.run("hash-value " + q(R"({"port":5432,"host":"db1"})"));
  REQUIRE(db.exit_code == 0);
  REQUIRE(repo.run("set /config/db " + q(R"({"host":"db1","port":5432})")).exit_code == 0);
  CHECK(db.line() == repo.git("rev-parse main:config/db").line());
  CHECK(repo.run("hash-value '{}'").line() == "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  CHECK(repo.run("hash-value '{\"a\":'").exit_code == 2);
  CHECK(repo.run_raw(q(GITSTATE_BIN) + " --repo " + q(repo.dir().str() + "/none") + " hash-value 1")
            .exit_code == 0);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("cat-object prints an object's type and content as JSON", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(
      repo.run("set /config/db " + q(R"({"host":"db1","port":5432})") + " -m 'add db' --tag infra")
          .exit_code == 0);

  std::string blob_id = repo.git("rev-parse main:config/db/port").line();
  json blob = repo.run("cat-object " + blob_id).json();
  CHECK(blob == json({{"oid", blob_id}, {"type", "blob"}, {"size", 5}, {"content", "5432\n"}}));

  std::string tree_id = repo.git("rev-parse main:config/db").line();
  json tree = repo.run("cat-object " + tree_id).json();
  CHECK(tree["type"] == "tree");
  REQUIRE(tree["entries"].size() == 2);
  CHECK(tree["entries"][0] == json({{"name", "host"},
                                    {"mode", "100644"},
                                    {"type", "blob"},
                                    {"oid", repo.git("rev-parse main:config/db/host").line()}}));
  CHECK(repo.run("cat-object " + repo.git("rev-parse main:").line()).json()["entries"][0] ==
        json({{"name", "config"},
              {"mode", "040000"},
              {"type", "tree"},
              {"oid", repo.git("rev-parse main:config").line()}}));

  std::string commit_id = repo.head();
  json commit = repo.run("cat-object " + commit_id).json();
  CHECK(commit["type"] == "commit");
  CHECK(commit["content"] == repo.git("cat-file commit " + commit_id).out);

  CHECK(repo.run("cat-object " + std::string(40, 'a')).exit_code == 1);
  CHECK(repo.run("cat-object abc").exit_code == 2);
  CHECK(repo.run("cat-object main").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}

TEST_CASE("ls-tree lists the members of an object with their ids as JSON Lines", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /config " +
                   q(R"({"db":{"port":5432},"name":"x","list":[1],".hidden":true,"a/b":1})"))
              .exit_code == 0);

  auto members = repo.run("ls-tree main:/config").json_lines();
  REQUIRE(members.size() == 5);
  std::vector<std::string> keys;
  for (const json& member : members) keys.push_back(member["key"]);
  CHECK(keys == std::vector<std::string>{".hidden", "a/b", "db", "list", "name"});
  CHECK(members[2] == json({{"key", "db"},
                            {"type", "tree"},
                            {"oid", repo.git("rev-parse main:config/db").line()}}));
  CHECK(members[4] ==
        json({{"key", "name"}, {"type", "blob"}, {"oid", repo.run("hash-value '\"x\"'").line()}}));

  auto root = repo.run("ls-tree main").json_lines();
  REQUIRE(root.size() == 1);
  CHECK(root[0]["key"] == "config");
  CHECK(repo.run("ls-tree main~1").out.empty());
  CHECK(repo.run("ls-tree :/config/db").json_lines().size() == 1);

  SECTION("a large object lists its members, not its fanout buckets") {
    json big = json::object();
    for (int i = 0; i < 300; ++i) big["k" + std::to_string(i)] = i;
    REQUIRE(repo.run("set /big " + q(big.dump())).exit_code == 0);
    auto listed = repo.run("ls-tree main:/big").json_lines();
    REQUIRE(listed.size() == 300);
    CHECK(listed[0]["key"] == "k0");
    CHECK(listed[0]["oid"] == repo.run("hash-value 0").line());
  }
  CHECK(repo.run("ls-tree main:/config/nothing").exit_code == 1);
  CHECK(repo.run("ls-tree main:/config/name").exit_code == 2);
  CHECK(repo.run("ls-tree main:config").exit_code == 2);
  CHECK(repo.run("ls-tree nowhere:/config").exit_code == 2);
  REQUIRE(repo.fsck_clean());
}
