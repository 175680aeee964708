// Crash safety of the pack backend and refs: a writer process is killed with
// SIGKILL at random moments (mid-pack, mid-index, mid-rename, mid-consolidation,
// mid-ref-update); afterwards the repository must open, pass git fsck, and hold
// every batch the writer had acknowledged.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/pack_backend.h"
#include "gitstate/plumbing/refs.h"
#include "support/test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TempDir;

namespace {
constexpr const char* kBranch = "refs/heads/main";

// Writes batches of commits forever, appending each batch's last commit id to
// `log_path` only once the batch is flushed and the branch points at it.
[[noreturn]] void run_writer(const std::string& repo_path, const std::string& log_path, int round) {
  auto dir = GitDir::open(repo_path);
  if (!dir.is_ok()) _exit(20);
  PackBackendOptions options;
  options.max_packs = 4;  // consolidate often, so that kills land inside it too
  ObjectStore store(make_pack_backend(*dir, options));
  int log = ::open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (log < 0) _exit(21);
  Signature s{"Writer", "writer@example.com", 1700000000, 0};
  for (int batch = 0;; ++batch) {
    auto tip = read_ref(**dir, kBranch);
    if (!tip.is_ok()) _exit(22);
    std::optional<Oid> parent = *tip;
    for (int k = 0; k < 5; ++k) {
      std::string tag =
          std::to_string(round) + "." + std::to_string(batch) + "." + std::to_string(k);
      Oid blob = store.write(ObjectType::kBlob, "value " + tag + std::string(150, 'v') + "\n");
      Oid tree = store.write_tree({{"value", kModeBlob, blob}, {"round", kModeBlob, blob}});
      CommitData c{tree, {}, s, s, "batch " + tag + "\n", {}};
      if (parent) c.parents.push_back(*parent);
      parent = store.write(ObjectType::kCommit, encode_commit(c));
    }
    if (!store.flush(batch % 4 == 3).is_ok()) _exit(23);  // every 4th batch durable
    if (!update_ref(**dir, kBranch, *parent, *tip, "batch").is_ok()) _exit(24);
    std::string line = parent->hex() + "\n";
    if (::write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(25);
  }
}

std::vector<std::string> acknowledged(const std::string& log_path) {
  std::ifstream in(log_path);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);)
    if (line.size() == 40) ids.push_back(line);
  return ids;
}
}  // namespace

TEST_CASE(
    "a writer killed at random moments never damages the repository nor loses a flushed batch") {
  TempDir tmp;
  const std::string repo = tmp.str() + "/store";
  const std::string log = tmp.str() + "/acknowledged";
  REQUIRE(GitDir::init(repo).is_ok());
  const std::string git = "git --git-dir=" + shell_quote(repo) + " ";
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> lifetime_ms(30, 300);

  // At least kRounds kills, and enough acknowledged batches that the checks
  // are not vacuous (a loaded machine may need more rounds), within a bound.
  constexpr int kRounds = 8;
  constexpr size_t kMinAcknowledged = 8;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int round = 0; round < kRounds || (acknowledged(log).size() < kMinAcknowledged &&
                                          std::chrono::steady_clock::now() < deadline);
       ++round) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) run_writer(repo, log, round);
    int ms = lifetime_ms(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("round " << round << ", killed after " << ms << " ms");
    REQUIRE(WIFSIGNALED(status));  // the writer did not stop on an error of its own

    auto dir = GitDir::open(repo);
    REQUIRE(dir.is_ok());
    // The recovery a crashed writer needs: its ref lock, if it died holding one.
    REQUIRE(remove_stale_ref_locks(**dir, std::chrono::seconds(0)).is_ok());

    auto fsck = run_command(git + "fsck --strict --full --no-dangling 2>&1");
    INFO(fsck.output);
    CHECK(fsck.exit_code == 0);
    for (const char* bad : {"error", "missing", "broken", "bad ", "corrupt"})
      CHECK(fsck.output.find(bad) == std::string::npos);

    std::vector<std::string> ids = acknowledged(log);
    std::string input;
    for (const auto& id : ids) input += id + "\n";
    auto present = run_command(git + "cat-file --batch-check", input);
    CHECK(present.output.find("missing") == std::string::npos);
    if (!ids.empty())
      CHECK(run_command(git + "merge-base --is-ancestor " + ids.back() + " " + kBranch).exit_code ==
            0);
  }

  std::vector<std::string> ids = acknowledged(log);
  REQUIRE(ids.size() >= kMinAcknowledged);
  auto dir = GitDir::open(repo);
  REQUIRE(dir.is_ok());
  ObjectStore store(make_pack_backend(*dir));
  for (const auto& hex : ids) {
    auto commit = store.read(*Oid::from_hex(hex));
    REQUIRE(commit.is_ok());
    CHECK(commit->type == ObjectType::kCommit);
  }
  auto count = run_command(git + "rev-list --count " + kBranch);
  CHECK(std::stoul(count.output) >= ids.size() * 5);
}
