// End-to-end: `gitstate squash` rewrites a branch's old history as one
// snapshot, keeps the state and the old head (archive ref), and honours
// signature policies; checked with stock git.
#include <catch2/catch.hpp>

#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

namespace {
// A repository whose identity is ada, with four commits imported after the
// root at now + 1000, 2000, 3000 and 4000 seconds (so the root is older).
struct SquashSetup {
  CliRepo repo;
  int64_t now = static_cast<int64_t>(std::time(nullptr));

  explicit SquashSetup(const std::string& init_args = "") {
    REQUIRE(repo.run_raw("git init -q --bare -b main " + q(repo.path())).exit_code == 0);
    REQUIRE(repo.git("config user.name Ada").exit_code == 0);
    REQUIRE(repo.git("config user.email ada@example.org").exit_code == 0);
    REQUIRE(repo.run("init " + init_args).exit_code == 0);
    std::string lines;
    for (int i = 1; i <= 4; ++i)
      lines +=
          json{{"patch",
                json::array({{{"op", "add"}, {"path", "/k" + std::to_string(i)}, {"value", i}}})},
               {"message", "change " + std::to_string(i)},
               {"tags", json::array({"t" + std::to_string(i)})},
               {"author", "Bob <bob@example.org>"},
               {"time", now + 1000 * i}}
              .dump() +
          "\n";
    CliResult imported = repo.run("import " + init_args, lines);
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
  }

  std::string at(int64_t offset) const { return std::to_string(now + offset); }

  // The ids `git rev-list ARGS` prints, in its order.
  std::vector<std::string> rev_list(const std::string& args) const {
    CliResult listed = repo.git("rev-list " + args);
    REQUIRE(listed.exit_code == 0);
    std::vector<std::string> ids;
    std::istringstream in(listed.out);
    for (std::string line; std::getline(in, line);) ids.push_back(line);
    return ids;
  }

  std::set<std::string> all_commits() const {
    std::vector<std::string> ids = rev_list("--all");
    return std::set<std::string>(ids.begin(), ids.end());
  }

  std::vector<std::string> first_parents() const { return rev_list("--first-parent main"); }
};
}  // namespace

TEST_CASE("squash keeps the state, the newer commits and the old head under an archive ref",
          "[cli]") {
  SquashSetup s;
  REQUIRE(s.repo.run("tag v1 main~3").exit_code == 0);
  std::string old_head = s.repo.head();
  std::vector<std::string> old_line = s.first_parents();
  REQUIRE(old_line.size() == 5);
  std::string state = s.repo.run("get ''").out;
  std::string tree = s.repo.git("rev-parse main^{tree}").out;
  std::string newest_body = s.repo.git("log -1 --format=%an%n%ae%n%cd%n%B main").out;

  CliResult squashed = s.repo.run("squash --before " + s.at(2500) + " -b main --json");
  INFO(squashed.err);
  REQUIRE(squashed.exit_code == 0);
  json result = squashed.json();
  CHECK(result["squashed"] == true);
  CHECK(result["old_head"] == old_head);
  CHECK(result["replaced"] == 3);  // the root and changes 1 and 2
  CHECK(result["recreated"] == 2);
  CHECK(result["state_of"] == old_line[2]);
  CHECK(result["archived_tags"] == json::array({"v1"}));
  std::string archive = result["archive"];
  CHECK(archive.rfind("refs/gitstate/archive/main/", 0) == 0);
  CHECK(squashed.err.find("Tags left on the archived history: v1") != std::string::npos);

  // The state is identical; the history before T is one commit.
  CHECK(s.repo.run("get ''").out == state);
  CHECK(s.repo.git("rev-parse main^{tree}").out == tree);
  std::vector<std::string> line = s.first_parents();
  REQUIRE(line.size() == 3);
  CHECK(line[2] == result["snapshot"]);
  CHECK(s.repo.git("log -1 --format=%an%n%ae%n%cd%n%B main").out == newest_body);
  CHECK(s.repo.git("log -1 --format=" + q("%(trailers:key=State-Tag,valueonly)") + " main~1").out ==
        "t3\n\n");
  CHECK(
      s.repo
          .git("log -1 --format=" + q("%(trailers:key=State-Squash-Archive,valueonly)") + " main~2")
          .out == archive + "\n\n");
  CHECK(
      s.repo
          .git("log -1 --format=" + q("%(trailers:key=State-Squash-Commits,valueonly)") + " main~2")
          .out == "3\n\n");

  // The archive keeps the old history: listed, reachable, fsck clean.
  CliResult listed = s.repo.run("squash --list-archives -b main");
  REQUIRE(listed.exit_code == 0);
  REQUIRE(listed.json().size() == 1);
  CHECK(listed.json()[0]["ref"] == archive);
  CHECK(listed.json()[0]["head"] == old_head);
  CHECK(s.repo.run("get /k1 --at " + q(archive)).out == "1\n");
  std::set<std::string> all = s.all_commits();
  for (const std::string& id : old_line) CHECK(all.count(id) == 1);
  CHECK(s.repo.fsck_clean());

  // Deleting it (and the tag) makes the old commits unreachable.
  CHECK(s.repo.run("squash --delete-archive refs/heads/main").exit_code == 2);
  REQUIRE(s.repo.run("squash --delete-archive " + q(archive)).exit_code == 0);
  CHECK(s.repo.run("squash --delete-archive " + q(archive)).exit_code == 1);
  REQUIRE(s.repo.run("tag --delete v1").exit_code == 0);
  all = s.all_commits();
  for (const std::string& id : old_line) CHECK(all.count(id) == 0);
  CHECK(all == std::set<std::string>(line.begin(), line.end()));
  CHECK(s.repo.run("squash --list-archives").json() == json::array());
  CHECK(s.repo.fsck_clean());

  // Squashing again, with an ISO date after everything: the whole history.
  CliResult whole = s.repo.run("squash --before 2999-01-01 -b main --json");
  REQUIRE(whole.exit_code == 0);
  CHECK(whole.json()["replaced"] == 3);
  CHECK(whole.json()["recreated"] == 0);
  CHECK(s.first_parents().size() == 1);
  CHECK(s.repo.git("rev-parse main^{tree}").out == tree);
  CHECK(s.repo.fsck_clean());
}

TEST_CASE("squash: nothing to squash, bad usage and refusals change nothing", "[cli]") {
  SquashSetup s;
  std::string head = s.repo.head();
  CliResult nothing = s.repo.run("squash --before " + s.at(-100000) + " -b main");
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.out == head + "\n");
  CHECK(nothing.err.find("Nothing to squash") != std::string::npos);
  CHECK(s.repo.run("squash --before " + s.at(2500)).exit_code == 2);  // -b is required
  CHECK(s.repo.run("squash -b main").exit_code == 2);
  CHECK(s.repo.run("squash --before yesterday-ish -b main").exit_code == 2);
  CHECK(s.repo.run("squash --before " + s.at(2500) + " -b nowhere").exit_code == 2);
  CHECK(s.repo.run("squash --before 1 -b main --list-archives").exit_code == 2);
  CHECK(s.repo.head() == head);
  CHECK(s.repo.run("squash --list-archives").json() == json::array());
}

TEST_CASE("squash on a branch that requires signatures: --force and a key sign what git verifies",
          "[cli]") {
  SquashSetup s;
  std::string key = s.repo.dir().str() + "/ada";
  REQUIRE(s.repo.run_raw("ssh-keygen -q -t ed25519 -N '' -C ada -f " + q(key)).exit_code == 0);
  std::ifstream pub(key + ".pub");
  std::string type, base64;
  pub >> type >> base64;
  std::string allowed = s.repo.dir().str() + "/allowed";
  std::ofstream(allowed) << "ada@example.org namespaces=\"git\" " << type << " " << base64 << "\n";
  REQUIRE(s.repo.git("config gpg.ssh.allowedSignersFile " + q(allowed)).exit_code == 0);
  REQUIRE(s.repo.git("config gitstate.branch.main.requireSignatures true").exit_code == 0);
  std::string head = s.repo.head();
  std::string squash = "squash --before " + s.at(2500) + " -b main";

  CliResult refused = s.repo.run(squash + " --sign-key " + q(key));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("requires signed commits") != std::string::npos);
  CHECK(s.repo.run(squash + " --force").exit_code == 1);  // unsigned new commits
  CHECK(s.repo.head() == head);
  CHECK(s.repo.run("squash --list-archives").json() == json::array());

  CliResult forced = s.repo.run(squash + " --force --sign-key " + q(key));
  INFO(forced.err);
  REQUIRE(forced.exit_code == 0);
  std::vector<std::string> line = s.first_parents();
  REQUIRE(line.size() == 3);
  for (const std::string& id : line) {
    CliResult verified = s.repo.git(
        "-c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + q(allowed) + " verify-commit " + id);
    INFO(verified.err);
    CHECK(verified.exit_code == 0);
  }
  CHECK(s.repo.run("verify").exit_code == 0);
  CHECK(s.repo.fsck_clean());
}
