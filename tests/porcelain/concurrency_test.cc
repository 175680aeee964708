// Concurrent writers on one branch: processes and threads. Every transaction
// either lands exactly once or is reported as a conflict; none is lost.
#include "porcelain/porcelain_test_util.h"

#include "gitstate/plumbing/refs.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using gitstate::Code;
using gitstate::Oid;
using gitstate::Repository;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
// Transaction `i` of writer `w`: even ones on shared paths, odd ones on the
// writer's own. Returns "landed <commit>", "conflict <message>" or "error <message>".
std::string run_transaction(const Repository& repo, int w, int i) {
  auto tx = repo.begin("main");
  if (!tx.is_ok()) return "error " + tx.status().to_string();
  std::string path = i % 2 == 0 ? "/shared/k" + std::to_string(i % 10)
                                : "/w" + std::to_string(w) + "/k" + std::to_string(i);
  if (auto status = tx->set(path, json{{"w", w}, {"i", i}}); !status.is_ok())
    return "error " + status.to_string();
  gitstate::CommitOptions options;
  options.message = "w" + std::to_string(w) + " t" + std::to_string(i);
  auto outcome = tx->commit(options);
  if (outcome.is_ok()) return "landed " + outcome->commit.hex();
  if (outcome.status().code() == Code::kConflict) return "conflict " + outcome.status().to_string();
  return "error " + outcome.status().to_string();
}

// Checks the outcomes against the history of main: every landed commit is in
// it exactly once, with its message; no other commit is; conflicts are not.
void check_accounting(TestRepo& t, const std::map<std::string, std::string>& outcomes,
                      size_t expected_count) {
  REQUIRE(outcomes.size() == expected_count);
  std::map<std::string, Oid> history;  // message -> commit
  auto entries = gitstate::log(t.repo);
  REQUIRE(entries.is_ok());
  for (const auto& entry : *entries) {
    if (entry.parents.empty()) continue;  // the initial commit
    CHECK(history.count(entry.message) == 0);
    history[entry.message] = entry.id;
    CHECK(entry.parents.size() == 1);
  }
  size_t landed = 0, conflicts = 0;
  for (const auto& [name, outcome] : outcomes) {
    INFO(name << ": " << outcome);
    CHECK(outcome.rfind("error", 0) != 0);
    if (outcome.rfind("conflict", 0) == 0) {
      ++conflicts;
      CHECK(history.count(name) == 0);
      continue;
    }
    ++landed;
    REQUIRE(history.count(name) == 1);
    CHECK(history[name].hex() == outcome.substr(7));
  }
  CHECK(landed == history.size());
  CHECK(landed + conflicts == expected_count);
  // Writers' own paths never collide, so all of those landed.
  for (const auto& [name, outcome] : outcomes) {
    int w = 0, i = 0;
    REQUIRE(std::sscanf(name.c_str(), "w%d t%d", &w, &i) == 2);
    if (i % 2 == 1) {
      INFO(name << ": " << outcome);
      CHECK(outcome.rfind("conflict", 0) != 0);
      CHECK(t.get("/w" + std::to_string(w) + "/k" + std::to_string(i)) == json{{"w", w}, {"i", i}});
    }
  }
  INFO("landed " << landed << ", conflicts " << conflicts);
  CHECK(t.fsck());
}
}  // namespace

TEST_CASE("4 processes x 250 transactions on one branch lose nothing", "[concurrency]") {
  TestRepo t;
  constexpr int kWriters = 4, kTransactions = 250;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::ofstream out(t.dir.str() + "/outcomes." + std::to_string(w));
      auto repo = Repository::open(t.path());
      for (int i = 0; i < kTransactions; ++i) {
        std::string outcome = repo.is_ok() ? run_transaction(*repo, w, i) : "error open";
        out << "w" << w << " t" << i << "\t" << outcome << "\n" << std::flush;
      }
      out.close();
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
  }
  std::map<std::string, std::string> outcomes;
  for (int w = 0; w < kWriters; ++w) {
    std::ifstream in(t.dir.str() + "/outcomes." + std::to_string(w));
    std::string line;
    while (std::getline(in, line)) {
      size_t tab = line.find('\t');
      outcomes[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  check_accounting(t, outcomes, kWriters * kTransactions);
}

TEST_CASE("several threads share one Repository", "[concurrency]") {
  TestRepo t;
  constexpr int kThreads = 4, kTransactions = 60;
  std::vector<std::map<std::string, std::string>> per_thread(kThreads);
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kTransactions; ++i) {
        per_thread[w]["w" + std::to_string(w) + " t" + std::to_string(i)] =
            run_transaction(t.repo, w, i);
        auto read = t.repo.get("");  // readers run alongside the writers
        if (!read.is_ok()) per_thread[w]["read"] = "error " + read.status().to_string();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::map<std::string, std::string> outcomes;
  for (auto& m : per_thread) outcomes.insert(m.begin(), m.end());
  CHECK(outcomes.count("read") == 0);
  check_accounting(t, outcomes, kThreads * kTransactions);
}

TEST_CASE("a ref lock left behind by a crashed writer does not block later commits",
          "[concurrency]") {
  TestRepo t;
  t.set("/before", 1);
  // A writer killed between creating the lock and renaming it leaves this.
  std::string lock = t.path() + "/refs/heads/main.lock";
  { std::ofstream(lock) << "0000000000000000000000000000000000000000\n"; }
  auto long_ago = std::filesystem::file_time_type::clock::now() - std::chrono::minutes(5);
  std::filesystem::last_write_time(lock, long_ago);

  t.set("/after", 2);
  CHECK(t.get("/after") == 2);
  CHECK_FALSE(std::filesystem::exists(lock));
  CHECK(t.fsck());
}

TEST_CASE("a writer killed while holding the writer lock does not block later commits",
          "[concurrency]") {
  TestRepo t;
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto dir = gitstate::GitDir::open(t.path());
    if (!dir.is_ok()) _exit(1);
    auto held = gitstate::lock_writers(**dir);
    if (!held.is_ok()) _exit(1);
    char byte = 1;
    if (::write(ready[1], &byte, 1) != 1) _exit(1);
    ::pause();
    _exit(0);
  }
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  ::kill(pid, SIGKILL);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  ::close(ready[0]);
  ::close(ready[1]);

  t.set("/after", 3);
  CHECK(t.get("/after") == 3);
}
