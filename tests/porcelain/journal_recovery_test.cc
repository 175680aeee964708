// Power loss, simulated: files written after the last sync are lost or
// damaged, and the journal (written in an "earlier boot") puts every
// acknowledged commit back at the next open.
#include "porcelain/porcelain_test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using gitstate::Repository;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TestRepo;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
std::string journal_path(const std::string& repo) { return repo + "/gitstate-journal"; }

void mark_written_in_earlier_boot(const std::string& repo) {
  REQUIRE(gitstate::test::mark_journal_from_earlier_boot(repo));
}

// What a power loss may leave of files that were never synced: packs gone or
// cut short, a ref file empty.
void lose_unsynced_files(const std::string& repo) {
  bool cut = false;
  for (const auto& entry : fs::directory_iterator(repo + "/objects/pack")) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".pack") && !cut) {
      fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
      fs::resize_file(entry.path(), fs::file_size(entry.path()) / 2);
      cut = true;
    } else if (name.starts_with("pack-")) {
      fs::remove(entry.path());
    }
  }
  std::ofstream(repo + "/refs/heads/main", std::ios::trunc).close();
}

uintmax_t journal_size(const std::string& repo) { return fs::file_size(journal_path(repo)); }
}  // namespace

TEST_CASE("after a power loss the next open replays the journal", "[durability][journal]") {
  // The history is written by another process, as before a reboot: libgit2
  // keeps packs it opened cached by path for the life of the process.
  gitstate::test::TempDir dir;
  std::string repo = dir.str() + "/state.git";
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto writer = Repository::init(repo);
    if (!writer.is_ok()) _exit(1);
    // Fewer packs than trigger a consolidation: every pack is a journaled one
    // (a consolidated pack is synced before it replaces anything).
    for (int i = 0; i < 10; ++i) {
      auto tx = writer->begin();
      if (!tx.is_ok() || !tx->set("/config/k" + std::to_string(i % 7), i).is_ok()) _exit(2);
      gitstate::CommitOptions options;
      options.message = "set " + std::to_string(i);
      if (!tx->commit(options).is_ok()) _exit(3);
    }
    if (!gitstate::create_branch(*writer, "side").is_ok()) _exit(4);
    auto state = writer->get("");
    auto head = writer->resolve("main");
    if (!state.is_ok() || !head.is_ok()) _exit(5);
    std::ofstream(dir.str() + "/expected") << state->dump() << "\n" << head->hex() << "\n";
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::ifstream in(dir.str() + "/expected");
  std::string expected_state, expected_head;
  REQUIRE(std::getline(in, expected_state));
  REQUIRE(std::getline(in, expected_head));

  mark_written_in_earlier_boot(repo);
  lose_unsynced_files(repo);

  auto reopened = Repository::open(repo);
  INFO(reopened.status().to_string());
  REQUIRE(reopened.is_ok());
  auto state = reopened->get("");
  INFO(state.status().to_string());
  REQUIRE(state.is_ok());
  CHECK(*state == json::parse(expected_state));
  auto now = reopened->resolve("main");
  REQUIRE(now.is_ok());
  CHECK(now->hex() == expected_head);
  CHECK(reopened->resolve("side").is_ok());
  std::string git = "git --git-dir=" + shell_quote(repo) + " ";
  auto fsck = run_command(git + "fsck --strict --full 2>&1");
  INFO(fsck.output);
  CHECK(fsck.exit_code == 0);
  auto log = run_command(git + "log --format=%s main");
  CHECK(log.output.find("set 9\n") == 0);
  // Replayed and checkpointed: the journal is back to its header.
  CHECK(journal_size(repo) == 64);

  // The repository goes on as usual.
  auto tx = reopened->begin("main");
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/after", true).is_ok());
  REQUIRE(tx->commit({}).is_ok());
  CHECK(reopened->get("/after")->get<bool>());
}

TEST_CASE("an open in the same boot replays nothing", "[durability][journal]") {
  TestRepo t;
  t.set("/a", 1);
  uintmax_t before = journal_size(t.path());
  CHECK(before > 64);
  auto reopened = Repository::open(t.path());
  REQUIRE(reopened.is_ok());
  CHECK(journal_size(t.path()) == before);
}

TEST_CASE("replay leaves alone a ref another tool moved elsewhere", "[durability][journal]") {
  TestRepo t;
  gitstate::Oid first = t.set("/a", 1);
  t.set("/a", 2);
  // Stock git moves main to a commit gitstate never recorded.
  std::string git = "git --git-dir=" + shell_quote(t.path()) + " ";
  auto made = run_command(git + "commit-tree -p " + first.hex() + " -m outside " +
                          "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  REQUIRE(made.exit_code == 0);
  std::string outside = made.output.substr(0, 40);
  REQUIRE(run_command(git + "update-ref refs/heads/main " + outside).exit_code == 0);

  mark_written_in_earlier_boot(t.path());
  auto reopened = Repository::open(t.path());
  REQUIRE(reopened.is_ok());
  auto head = reopened->resolve("main");
  REQUIRE(head.is_ok());
  CHECK(head->hex() == outside);
}

TEST_CASE("a large journal is checkpointed", "[durability][journal]") {
  TestRepo t;
  // Packs under 1 MiB are journaled; 20 of them pass the 16 MiB checkpoint size.
  uintmax_t largest = 0;
  for (int i = 0; i < 20; ++i) {
    t.set("/blob" + std::to_string(i), std::string(900 << 10, static_cast<char>('a' + i)));
    largest = std::max(largest, journal_size(t.path()));
  }
  CHECK(largest > (15u << 20));
  CHECK(journal_size(t.path()) < largest);
  CHECK(t.get("/blob19").get<std::string>().size() == (900u << 10));
}

TEST_CASE("a large pack is synced in place, not journaled", "[durability][journal]") {
  TestRepo t;
  uintmax_t before = journal_size(t.path());
  t.set("/big", std::string(3 << 20, 'x'));
  CHECK(journal_size(t.path()) - before < 64 * 1024);
  CHECK(t.get("/big").get<std::string>().size() == (3u << 20));
  CHECK(t.fsck());
}
