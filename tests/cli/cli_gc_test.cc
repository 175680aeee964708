// End-to-end: `gitstate gc` reports what it did (text and --json), keeps
// what stock git needs (fsck), refuses bad options, and loses nothing to
// commits that another process makes meanwhile.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
namespace fs = std::filesystem;

namespace {
void age_objects(const CliRepo& repo) {
  gitstate::test::backdate_files(repo.path() + "/objects", std::chrono::hours(2));
}
}  // namespace

TEST_CASE("gitstate gc --json reports sizes and counts; the state stays", "[cli][gc]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  for (int i = 0; i < 20; ++i)
    REQUIRE(repo.run("set /config/n" + std::to_string(i % 4) + " " + std::to_string(i)).exit_code ==
            0);
  REQUIRE(repo.run("branch scratch").exit_code == 0);
  REQUIRE(repo.run("set /tmp '\"scratch only\"' -b scratch").exit_code == 0);
  REQUIRE(repo.run("branch --delete scratch").exit_code == 0);
  std::string before = repo.run("get /").out;
  age_objects(repo);

  CliResult gc = repo.run("gc --json");
  INFO(gc.err);
  REQUIRE(gc.exit_code == 0);
  auto report = gc.json();
  CHECK(report["grace_seconds"] == 3600);
  CHECK(report["packs_before"].get<int>() >= 1);
  CHECK(report["packs_after"] == 1);
  CHECK(report["loose_after"] == 0);
  CHECK(report["bytes_after"].get<uint64_t>() < report["bytes_before"].get<uint64_t>());
  CHECK(report["pruned"].get<int>() >= 3);  // scratch's commit, its tree, its blob
  CHECK(report["objects_written"] == report["reachable"]);
  CHECK(report["pack"].is_string());
  for (const char* key : {"files_kept_for_grace", "objects_kept_for_grace", "files_rescued"})
    CHECK(report[key] == 0);
  CHECK(repo.run("get /").out == before);
  CHECK(repo.fsck_clean());

  CliResult again = repo.run("gc");
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("Packed " + std::to_string(report["reachable"].get<int>()) + " object(s)") !=
        std::string::npos);
  CHECK(again.out.find("Pruned 0 unreachable object(s)") != std::string::npos);
}

TEST_CASE("gitstate gc refuses a bad grace period", "[cli][gc]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  for (const char* args : {"gc --grace -1", "gc --grace soon", "gc extra"}) {
    CAPTURE(args);
    CliResult result = repo.run(args);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
  }
  CliResult missing =
      repo.run_raw(q(GITSTATE_BIN) + " --repo " + q(repo.path() + "/nowhere") + " gc");
  CHECK(missing.exit_code == 2);
}

TEST_CASE("gitstate gc loses nothing to commits of another process", "[cli][gc][concurrency]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("branch scratch").exit_code == 0);
  std::string orphan = repo.run("set /tmp 1 -b scratch").line();
  REQUIRE(repo.run("branch --delete scratch").exit_code == 0);
  age_objects(repo);  // gc has old packs to replace and an orphan to prune
  const int kCommits = 40;
  std::string done = repo.dir().str() + "/writer.done";
  std::string log = repo.dir().str() + "/writer.log";
  std::string loop = "for i in $(seq 1 " + std::to_string(kCommits) + "); do " + q(GITSTATE_BIN) +
                     " --repo " + q(repo.path()) + " set /n $i || exit 1; done; touch " + q(done);
  REQUIRE(repo.run_raw("(" + loop + ") >" + q(log) + " 2>&1 </dev/null &").exit_code == 0);
  int runs = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while ((!fs::exists(done) || runs < 2) && std::chrono::steady_clock::now() < deadline) {
    CliResult gc = repo.run("gc --json");
    INFO(gc.err);
    REQUIRE(gc.exit_code == 0);
    ++runs;
  }
  std::ifstream writer_log(log);
  INFO(std::string(std::istreambuf_iterator<char>(writer_log), {}));
  REQUIRE(fs::exists(done));
  CHECK(repo.run("get /n").out == std::to_string(kCommits) + "\n");
  CHECK(repo.git("rev-list --count main").out == std::to_string(kCommits + 1) + "\n");
  for (int back = 0; back < kCommits; ++back)
    CHECK(repo.run("get /n --at main~" + std::to_string(back)).out ==
          std::to_string(kCommits - back) + "\n");
  CHECK(repo.git("cat-file -e " + orphan).exit_code != 0);
  CHECK(repo.fsck_clean());
}
