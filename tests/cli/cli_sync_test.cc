// `gitstate sync dir|sqlite`: both directions, --dry-run, conflicts and the
// stopped-merge workflow, a rejection and its rerun, and bad input, through
// the built binary against a real directory and a real SQLite database.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string listing(const fs::path& root) {
  std::string out;
  std::vector<std::string> lines;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    lines.push_back(entry.path().lexically_relative(root).string() +
                    (entry.is_regular_file() ? " = " + read_file(entry.path()) : ""));
  std::sort(lines.begin(), lines.end());
  for (const auto& line : lines) out += line + "\n";
  return out;
}

void sql(const std::string& file, const std::string& statement) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
  INFO(statement << ": " << (error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

struct SyncRepo : CliRepo {
  fs::path outside = dir().path() / "outside";
  SyncRepo() {
    REQUIRE(init().exit_code == 0);
    fs::create_directory(outside);
  }
  CliResult sync_dir(const std::string& options = "") const {
    return run("sync dir " + q(outside.string()) + " " + options);
  }
  std::string refs() const { return git("for-each-ref").out; }
};
}  // namespace

TEST_CASE("cli sync dir: both directions, dry run, up to date", "[cli][sync]") {
  SyncRepo r;
  REQUIRE(r.run("set /config/db '{\"host\":\"db1\",\"port\":5432}'").exit_code == 0);
  fs::create_directory(r.outside / "feature");
  write_file(r.outside / "feature" / "on", "true\n");

  std::string before = listing(r.outside);
  std::string refs = r.refs();
  CliResult dry = r.sync_dir("--dry-run");
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  json plan = dry.json();
  CHECK(plan["result"] == "dry-run");
  CHECK(
      plan["outgoing"] ==
      json::parse(R"([{"op":"add","path":"/config","value":{"db":{"host":"db1","port":5432}}}])"));
  CHECK(plan["incoming"] == json::parse(R"([{"op":"add","path":"/feature","value":{"on":true}}])"));
  CHECK(plan["conflicts"] == json::array());
  CHECK(plan["base_before"].is_null());
  CHECK(listing(r.outside) == before);
  CHECK(r.refs() == refs);

  CliResult done = r.sync_dir();
  INFO(done.err);
  REQUIRE(done.exit_code == 0);
  json outcome = done.json();
  CHECK(outcome["result"] == "synced");
  CHECK(outcome["applied"] == 1);
  CHECK(outcome["commits"].size() == 2);
  CHECK(outcome["head"] == r.head());
  CHECK(outcome["base_after"] == r.head());
  CHECK(outcome["ref"].get<std::string>().starts_with("refs/gitstate/sync/dir-"));
  CHECK(read_file(r.outside / "config" / "db" / "port") == "5432\n");
  CHECK(r.run("get /feature/on").line() == "true");
  CHECK(r.git("log -1 --format=%an%n%s " + outcome["commits"][0].get<std::string>()).out ==
        "gitstate sync dir\nSync from dir:" + fs::canonical(r.outside).string() + "\n");

  CliResult again = r.sync_dir();
  CHECK(again.exit_code == 0);
  CHECK(again.json()["result"] == "up-to-date");
  CHECK(r.fsck_clean());
}

TEST_CASE("cli sync dir: conflicts, resolve, merge --continue, then the result goes out",
          "[cli][sync]") {
  SyncRepo r;
  REQUIRE(r.run("set /v 1").exit_code == 0);
  REQUIRE(r.sync_dir().exit_code == 0);
  REQUIRE(r.run("set /v 2").exit_code == 0);
  write_file(r.outside / "v", "3\n");

  CliResult stopped = r.sync_dir();
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.json()["result"] == "conflicts");
  CHECK(stopped.json()["conflicts"] ==
        json::parse(R"([{"base":1,"ours":2,"path":"/v","theirs":3}])"));
  CHECK_THAT(stopped.err, Catch::Contains("merge --continue"));
  CHECK(read_file(r.outside / "v") == "3\n");

  CliResult refused = r.sync_dir();
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("sync refused"));

  CHECK(r.run("conflicts").json().size() == 1);
  REQUIRE(r.run("resolve /v --value 5").exit_code == 0);
  CliResult resumed = r.run("merge --continue");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CliResult after = r.sync_dir();
  CHECK(after.exit_code == 0);
  CHECK(after.json()["outgoing"] == json::parse(R"([{"op":"replace","path":"/v","value":5}])"));
  CHECK(read_file(r.outside / "v") == "5\n");

  REQUIRE(r.run("set /v 6").exit_code == 0);
  write_file(r.outside / "v", "7\n");
  CHECK(r.sync_dir().exit_code == 1);
  REQUIRE(r.run("merge --abort").exit_code == 0);
  CliResult theirs = r.sync_dir("--strategy theirs");
  CHECK(theirs.exit_code == 0);
  CHECK(r.run("get /v").line() == "7");
  CHECK(r.fsck_clean());
}

TEST_CASE("cli sync sqlite: rows both ways, a trigger's rejection and the rerun", "[cli][sync]") {
  SyncRepo r;
  std::string db = (r.dir().path() / "app.db").string();
  sql(db,
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER);"
      "INSERT INTO users VALUES (1, 'Ann', 31);");
  REQUIRE(r.run("set /2 '{\"name\":\"Bob\",\"age\":40}'").exit_code == 0);
  std::string command = "sync sqlite " + q(db) + " users --key id";

  CliResult dry = r.run(command + " --dry-run");
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.json()["incoming"] ==
        json::parse(R"([{"op":"add","path":"/1","value":{"age":31,"name":"Ann"}}])"));

  CliResult done = r.run(command);
  INFO(done.err);
  REQUIRE(done.exit_code == 0);
  CHECK(r.run("get /1/name").line() == "\"Ann\"");
  CHECK(done.json()["adapter"] == "sqlite:" + fs::canonical(db).string() + "#users(id)");

  sql(db,
      "CREATE TRIGGER no_minors BEFORE UPDATE ON users WHEN NEW.age < 18 "
      "BEGIN SELECT RAISE(ABORT, 'too young'); END;");
  REQUIRE(r.run("set /1/age 32").exit_code == 0);
  REQUIRE(r.run("set /2/age 12").exit_code == 0);
  CliResult rejected = r.run(command);
  CHECK(rejected.exit_code == 1);
  CHECK_THAT(rejected.err, Catch::Contains("operation 1 of 2 (replace /2/age)"));
  CHECK_THAT(rejected.err, Catch::Contains("too young"));
  sql(db, "DROP TRIGGER no_minors;");
  CliResult rerun = r.run(command);
  CHECK(rerun.exit_code == 0);
  CHECK(rerun.json()["outgoing"] ==
        json::parse(R"([{"op":"replace","path":"/2/age","value":12}])"));
  CHECK(r.run(command).json()["result"] == "up-to-date");
}

TEST_CASE("cli sync: bad input is a clear error and changes nothing", "[cli][sync]") {
  SyncRepo r;
  REQUIRE(r.run("set /a 1").exit_code == 0);
  std::string db = (r.dir().path() / "app.db").string();
  sql(db, "CREATE TABLE t (id TEXT PRIMARY KEY, v);");
  std::string refs = r.refs();
  std::string db_bytes = read_file(db);
  auto expect = [&](const std::string& args, int code, const std::string& message) {
    CliResult result = r.run(args);
    INFO(args << "\n" << result.err);
    CHECK(result.exit_code == code);
    CHECK_THAT(result.err, Catch::Contains(message));
    CHECK(result.out.empty());
    CHECK(r.refs() == refs);
  };
  expect("sync sqlite " + q(db) + " nope --key id", 2, "no table \"nope\"");
  expect("sync sqlite " + q(db) + " t --key key", 2, "no column \"key\"");
  expect("sync sqlite " + q(db) + " t", 2, "--key");
  expect("sync sqlite " + q(db + ".missing") + " t --key id", 2, "no database file");
  expect("sync dir " + q((r.dir().path() / "missing").string()), 2, "no directory");
  expect("sync dir " + q(db), 2, "not a directory");
  expect("sync", 2, "sync");
  expect("sync dir " + q(r.outside.string()) + " -b nowhere", 2, "no such branch");
  expect("sync dir " + q(r.outside.string()) + " --strategy maybe", 2, "strategy");

  write_file(r.outside / "broken", "[1, 2");
  expect("sync dir " + q(r.outside.string()), 2, "broken");
  fs::remove(r.outside / "broken");
  write_file(r.outside / "obj", "{\"a\":1}");
  expect("sync dir " + q(r.outside.string()), 2, "an object is a folder");
  CHECK(listing(r.outside) == "obj = {\"a\":1}\n");
  CHECK(read_file(db) == db_bytes);
}
