// End-to-end: perspectives through the built `gitstate` binary. Secret
// values are planted under excluded paths and outside the includes, in
// several commits (some touching only secrets); every read command at every
// level of an extends chain must show neither a secret nor the id of a commit
// that changes nothing the level sees, and writes to hidden paths are refused.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

namespace {

const std::vector<std::string> kLevels = {"basic", "standard", "complete"};

// A repository with the chain basic <- standard <- complete and planted
// secrets. `seen_by[level]` holds the commits that change something the
// level sees; every other commit is secret to it.
struct Planted {
  CliRepo repo;
  std::vector<std::string> commits;
  std::map<std::string, std::set<std::string>> seen_by;

  std::string commit(const std::string& args, const std::vector<std::string>& levels,
                     const std::string& input = "") {
    CliResult result = repo.run(args, input);
    INFO(args << ": " << result.err);
    REQUIRE(result.exit_code == 0);
    std::string id = result.line();
    commits.push_back(id);
    for (const std::string& level : levels) seen_by[level].insert(id);
    return id;
  }

  Planted() {
    REQUIRE(repo.init().exit_code == 0);
    REQUIRE(repo.run("perspective define basic --include '/public/**'").exit_code == 0);
    REQUIRE(repo.run("perspective define standard --extends basic --include '/team/**' "
                     "--exclude /team/secret --exclude '/**/password'")
                .exit_code == 0);
    REQUIRE(repo.run("perspective define complete --extends standard --include '/ops/**' "
                     "--exclude /ops/vault")
                .exit_code == 0);
    std::string root = repo.head();
    commits.push_back(root);
    for (const std::string& level : kLevels) seen_by[level].insert(root);
    commit("set /public/a 1", kLevels);
    commit("set /hidden/token '\"SECRET-A\"'", {});
    commit("set /team/name '\"t\"'", {"standard", "complete"});
    commit("set /team/secret '\"SECRET-B\"'", {});
    // /ops exists before the vault lands in it: complete shows /ops, so a
    // vault that created it would change what complete sees ({} at /ops).
    commit("set /ops/region '\"eu\"'", {"complete"});
    commit("set /ops/vault '{\"k\":\"SECRET-C\"}'", {});
    commit("set /team/db '{\"host\":\"x\",\"password\":\"SECRET-D\"}'", {"standard", "complete"});
    commit("set /public/b 2", kLevels);
    // Mixes a visible and a secret change.
    commit("patch -", kLevels,
           R"([{"op":"add","path":"/public/c","value":3},)"
           R"({"op":"add","path":"/hidden/more","value":"SECRET-E"}])");
  }
};

bool has_secret(const std::string& text) { return text.find("SECRET") != std::string::npos; }

}  // namespace

TEST_CASE("perspective define, list, show and remove", "[cli][perspective]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  CliResult defined = repo.run("perspective define base --include '/b/**' --include /a");
  REQUIRE(defined.exit_code == 0);
  CHECK(defined.line().size() == 40);
  REQUIRE(repo.run("perspective define top --extends base --include /c --exclude /a/x").exit_code ==
          0);
  CliResult list = repo.run("perspective list");
  REQUIRE(list.exit_code == 0);
  CHECK(list.json() == json::parse(R"([{"exclude":[],"include":["/a","/b/**"],"name":"base"},
      {"exclude":["/a/x"],"extends":"base","include":["/c"],"name":"top"}])"));
  CliResult show = repo.run("perspective show top");
  REQUIRE(show.exit_code == 0);
  CHECK(show.json()["chain"] == json::array({"top", "base"}));

  CHECK(repo.run("perspective show nope").exit_code == 2);
  CHECK(repo.run("perspective define bad --include no-slash").exit_code == 2);
  CHECK(repo.run("perspective define x --include /a --extends nope").exit_code == 2);
  CHECK(repo.run("get '' --perspective nope").exit_code == 2);
  CHECK(repo.run("view nope").exit_code == 2);
  CliResult refused = repo.run("perspective remove base");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("top") != std::string::npos);
  REQUIRE(repo.run("perspective remove top").exit_code == 0);
  REQUIRE(repo.run("perspective remove base").exit_code == 0);
  CHECK(repo.run("perspective list").json() == json::array());
  CHECK(repo.git("log --format=%s refs/gitstate/perspectives").out ==
        "remove perspective base\nremove perspective top\ndefine perspective top\n"
        "define perspective base\n");
  CHECK(repo.fsck_clean());
}

namespace {
// Every read command at every commit through `level`: no secret value and no
// id of a commit that `level` does not see may come out. One test case per
// level, so that each stays well inside the suite's per-test time limit.
void check_no_secret_through(const std::string& level) {
  Planted planted;
  CliRepo& repo = planted.repo;
  const std::vector<std::string> paths = {
      "",         "/public",           "/public/a", "/team",      "/team/secret",
      "/team/db", "/team/db/password", "/ops",      "/ops/vault", "/ops/vault/k",
      "/hidden",  "/hidden/token",     "/nothing"};
  const std::set<std::string>& seen = planted.seen_by.at(level);
  std::vector<std::string> secret_ids;
  for (const std::string& id : planted.commits)
    if (!seen.count(id)) secret_ids.push_back(id);
  REQUIRE(!secret_ids.empty());
  std::string through = " --perspective " + level;

  auto clean = [&](const CliResult& result, const std::string& what,
                   const std::string& allowed_id = "") {
    INFO(what << "\nstdout: " << result.out << "\nstderr: " << result.err);
    CHECK(!has_secret(result.out));
    CHECK(!has_secret(result.err));
    for (const std::string& id : secret_ids) {
      if (id == allowed_id) continue;
      CHECK(result.out.find(id) == std::string::npos);
      CHECK(result.err.find(id) == std::string::npos);
      CHECK(result.out.find(id.substr(0, 12)) == std::string::npos);
    }
  };

  std::set<std::string> learned;
  for (const std::string& path : paths) {
    CliResult get = repo.run("get " + q(path) + through);
    clean(get, "get " + path);
    CHECK((get.exit_code == 0 || get.exit_code == 1));
    for (const std::string& id : planted.commits) {
      CliResult at = repo.run("get " + q(path) + " --at " + id + through);
      clean(at, "get --at", id);
    }
    CliResult log = repo.run("log --json --path " + q(path) + through);
    clean(log, "log --path " + path);
    REQUIRE(log.exit_code == 0);
    for (const json& line : log.json_lines()) {
      learned.insert(line["commit"].get<std::string>());
      for (const json& parent : line["parents"]) learned.insert(parent.get<std::string>());
    }
    CliResult blame = repo.run("blame " + q(path) + through);
    clean(blame, "blame " + path);
  }
  CliResult log = repo.run("log --json" + through);
  clean(log, "log");
  for (const json& line : log.json_lines()) learned.insert(line["commit"].get<std::string>());
  CHECK(learned == seen);
  clean(repo.run("log" + through), "log text");
  clean(repo.run("view " + level), "view");
  clean(repo.run("view " + level + " --mark-hidden"), "view --mark-hidden");

  for (const std::string& id : learned) {
    CliResult show = repo.run("show " + id + through);
    REQUIRE(show.exit_code == 0);
    clean(show, "show " + id);
    for (const std::string& other : learned)
      clean(repo.run("diff " + id + " " + other + through), "diff");
  }
  // A secret commit does not exist: the same answer as an absent id.
  std::string absent(40, 'e');
  CliResult none = repo.run("show " + absent + through);
  for (const std::string& id : secret_ids) {
    CliResult show = repo.run("show " + id + through);
    clean(show, "show secret " + id, id);
    CHECK(show.exit_code == none.exit_code);
    std::string expected = none.err;
    for (size_t at = expected.find(absent); at != std::string::npos;
         at = expected.find(absent, at + 1))
      expected.replace(at, absent.size(), id);
    CHECK(show.err == expected);
    clean(repo.run("diff " + id + " main" + through), "diff secret", id);
  }
}
}  // namespace

TEST_CASE("no read command through basic shows a secret or a secret commit's id",
          "[cli][perspective]") {
  check_no_secret_through("basic");
}

TEST_CASE("no read command through standard shows a secret or a secret commit's id",
          "[cli][perspective]") {
  check_no_secret_through("standard");
}

TEST_CASE("no read command through complete shows a secret or a secret commit's id",
          "[cli][perspective]") {
  check_no_secret_through("complete");
}

TEST_CASE("writes through a perspective to hidden paths are refused", "[cli][perspective]") {
  Planted planted;
  CliRepo& repo = planted.repo;
  std::string head = repo.head();
  auto refused = [&](const std::string& args, const std::string& path,
                     const std::string& input = "") {
    CliResult result = repo.run(args, input);
    INFO(args << ": " << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("permission denied: ") != std::string::npos);
    CHECK(result.err.find(path + " is outside this perspective") != std::string::npos);
    CHECK(!has_secret(result.err));
    CHECK(repo.head() == head);
  };
  refused("set /team/secret '\"x\"' --perspective standard", "/team/secret");
  refused("set /hidden/x 1 --perspective complete", "/hidden/x");
  refused("set /team '{\"name\":\"t\"}' --perspective basic", "/team");
  refused("rm /team/db --perspective standard", "/team/db");
  refused("rm /ops --perspective complete", "/ops");
  refused("patch - --perspective standard", "/team/secret",
          R"([{"op":"replace","path":"/team/secret","value":1}])");
  refused("patch --merge-patch - --perspective standard", "/hidden", R"({"hidden":null})");
  refused("import --perspective basic", "/ops/region",
          R"({"patch":[{"op":"add","path":"/ops/region","value":"us"}]})");

  CliResult allowed = repo.run("set /team/db/port 5432 --perspective standard");
  REQUIRE(allowed.exit_code == 0);
  CHECK(repo.run("get /team/db/password").out == "\"SECRET-D\"\n");
  CHECK(repo.run("merge main --perspective standard").exit_code == 1);
}

TEST_CASE("project writes what a perspective sees onto a branch", "[cli][perspective]") {
  Planted planted;
  CliRepo& repo = planted.repo;
  CliResult projected = repo.run("project standard -b main --into shared");
  INFO(projected.err);
  REQUIRE(projected.exit_code == 0);
  std::string head = projected.line();
  CHECK(repo.head("shared") == head);
  CliResult again = repo.run("project standard -b main --into shared");
  REQUIRE(again.exit_code == 0);
  CHECK(again.line() == head);
  CHECK(again.err.find("Projected 0 commits") != std::string::npos);

  const std::set<std::string>& seen = planted.seen_by.at("standard");
  CliResult log = repo.run("log shared --json");
  REQUIRE(log.exit_code == 0);
  CHECK(log.json_lines().size() == seen.size());
  CHECK(!has_secret(log.out));
  for (const json& line : log.json_lines()) {
    CliResult show = repo.run("show " + line["commit"].get<std::string>());
    CHECK(!has_secret(show.out));
  }
  CliResult trailers = repo.git("log --format=%B shared");
  for (const std::string& id : planted.commits) {
    bool mentioned = trailers.out.find("State-Projected-From: " + id) != std::string::npos;
    CHECK(mentioned == (seen.count(id) == 1));
  }
  CHECK(!has_secret(repo.run("get '' --at shared").out));

  REQUIRE(repo.run("branch other").exit_code == 0);
  CHECK(repo.run("project standard --into other").exit_code == 1);
  CHECK(repo.run("project standard --into main").exit_code == 2);
  CHECK(repo.run("project nope --into x").exit_code == 2);
  CHECK(repo.fsck_clean());
}
