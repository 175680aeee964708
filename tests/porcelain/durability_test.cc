// Durability and interop: acknowledged commits survive kill -9, and stock git
// reads the history, messages and trailers.
#include "porcelain/porcelain_test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

using gitstate::Repository;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TestRepo;
using nlohmann::json;

TEST_CASE("every acknowledged commit survives SIGKILL of the writer", "[durability]") {
  TestRepo t;
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    // Each round writes its own branch, so each round's acknowledgements are
    // checked against a history of their own.
    std::string branch = "round" + std::to_string(round);
    REQUIRE(gitstate::create_branch(t.repo, branch).is_ok());
    std::string acks = t.dir.str() + "/acks." + std::to_string(round);
    std::ofstream(acks).close();
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int fd = ::open(acks.c_str(), O_WRONLY | O_APPEND);
      auto repo = Repository::open(t.path());
      for (int i = 0;; ++i) {
        auto tx = repo->begin(branch);
        if (!tx.is_ok() || !tx->set("/k/" + std::to_string(i % 50), i).is_ok()) _exit(2);
        gitstate::CommitOptions options;
        options.message = "commit " + std::to_string(i);
        if (!tx->commit(options).is_ok()) _exit(3);
        // Recorded only after commit() returned: this commit must survive.
        std::string line = std::to_string(i) + "\n";
        if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
      }
    }
    // Let the writer acknowledge a few commits, then kill it at a random moment.
    for (int waited = 0; waited < 600 && std::filesystem::file_size(acks) < 8; ++waited)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 200));
    REQUIRE(kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));

    std::ifstream in(acks);
    std::vector<int> acknowledged;
    for (int i; in >> i;) acknowledged.push_back(i);
    INFO("round " << round << ": " << acknowledged.size() << " acknowledged commits");
    CHECK(!acknowledged.empty());
    auto repo = Repository::open(t.path());
    REQUIRE(repo.is_ok());
    // The newest acknowledged value of each key is there (a later,
    // unacknowledged commit may have landed too, with a larger value).
    std::map<int, int> newest;
    for (int i : acknowledged) newest[i % 50] = i;
    for (const auto& [key, value] : newest) {
      auto got = repo->get("/k/" + std::to_string(key), branch);
      REQUIRE(got.is_ok());
      CHECK(got->get<int>() >= value);
    }
    gitstate::LogOptions options;
    options.rev = branch;
    auto entries = gitstate::log(*repo, options);
    REQUIRE(entries.is_ok());
    std::set<std::string> messages;
    for (const auto& e : *entries) messages.insert(e.message);
    for (int i : acknowledged) CHECK(messages.count("commit " + std::to_string(i)) == 1);
    CHECK(entries->size() >= acknowledged.size() + 1);  // + the initial commit
    CHECK(t.fsck());
  }
}

TEST_CASE("stock git reads messages, trailers and values", "[interop]") {
  TestRepo t;
  auto tx = t.repo.begin();
  REQUIRE(tx->set("/config/db/port", 5432).is_ok());
  gitstate::CommitOptions options;
  options.message = "configure the database";
  options.tags = {"infra", "db"};
  REQUIRE(tx->commit(options).is_ok());
  std::string git = "git --git-dir=" + shell_quote(t.path());
  auto trailers = run_command(git + " log -1 --format='%(trailers:key=State-Tag,valueonly)' main");
  CHECK(trailers.output == "infra\ndb\n\n");
  auto subject = run_command(git + " log --format=%s main");
  CHECK(subject.output == "configure the database\nInitialize state\n");
  auto value = run_command(git + " show main:config/db/port");
  CHECK(value.output == "5432\n");
  auto interpret = run_command(git + " log -1 --format=%B main | git interpret-trailers --parse");
  CHECK(interpret.output == "State-Tag: infra\nState-Tag: db\n");
  CHECK(t.fsck());
}
