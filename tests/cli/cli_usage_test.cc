// End-to-end: command-line usage, --help, and failures of the store (exit 3).
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;

TEST_CASE("usage errors exit 2 with a message on stderr", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  for (const char* args :
       {"", "frobnicate", "get", "set /a", "get /a --no-such-option", "get /a /b", "diff main",
        "update-ref refs/heads/main", "log -n many", "branch --delete", "tag --list --delete v1"}) {
    CAPTURE(args);
    CliResult result = repo.run(args);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("gitstate: ", 0) == 0);
  }
}

TEST_CASE("--help works for gitstate and for every command", "[cli]") {
  CliRepo repo;
  CliResult help = repo.run("--help");
  CHECK(help.exit_code == 0);
  for (const char* command :
       {"init",        "get",        "set",        "rm",         "patch",      "import",
        "log",         "show",       "diff",       "blame",      "branch",     "tag",
        "perspective", "view",       "project",    "hash-value", "cat-object", "ls-tree",
        "rev-parse",   "merge-base", "update-ref", "sync",       "audit",      "verify",
        "squash",      "gc"}) {
    CAPTURE(command);
    CHECK(help.out.find(command) != std::string::npos);
    CliResult command_help = repo.run(std::string(command) + " --help");
    CHECK(command_help.exit_code == 0);
    CHECK(command_help.out.find(command) != std::string::npos);
  }
  CHECK(help.out.find("Plumbing") != std::string::npos);
  CHECK(help.out.find("Porcelain") != std::string::npos);
}

TEST_CASE("a corrupt object store exits 3", "[cli]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  REQUIRE(repo.run("set /config/db/port 5432").exit_code == 0);
  // Overwrite the body of every pack with garbage, keeping the header and the index.
  for (const auto& entry : std::filesystem::directory_iterator(repo.path() + "/objects/pack")) {
    if (entry.path().extension() != ".pack") continue;
    std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    std::fstream pack(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    auto size = std::filesystem::file_size(entry.path());
    pack.seekp(12);
    for (uintmax_t i = 12; i + 20 < size; ++i) pack.put('\x5a');
  }
  CliResult get = repo.run("get /config/db/port");
  CHECK(get.exit_code == 3);
  CHECK(get.err.rfind("gitstate: ", 0) == 0);
}
