// A remote serving objects gitstate would never write (built with stock git
// plumbing) is refused: a clear error naming the object, no ref moves, and
// the received pack is gone.
#include <catch2/catch.hpp>

#include "sync/sync_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::clone_into;
using gitstate::test::packs_of;
using gitstate::test::q;
using gitstate::test::refs_of;
using gitstate::test::Servers;

namespace {
struct Hostile {
  const char* what;
  const char* tree_line;  // a `git mktree` line; %s is the blob id
  const char* blob;       // the blob's content
};

// Builds, on the server, main = a good commit followed by a commit whose
// state has `hostile`'s entry; returns the id of the object at fault.
std::string build_hostile(const Servers& servers, const std::string& repo, const Hostile& h) {
  std::string git = "git --git-dir=" + q(servers.path(repo)) + " ";
  auto run = [&](const std::string& command) {
    std::string out = gitstate::test::run_command(command).output;
    return out.substr(0, out.find('\n'));
  };
  std::string good_blob = run("printf '1\\n' | " + git + "hash-object -w --stdin");
  std::string good_tree = run("printf '100644 blob " + good_blob + "\\tok\\n' | " + git + "mktree");
  std::string good = run(git + "commit-tree " + good_tree + " -m good");
  std::string blob =
      run("printf '%s' " + q(h.blob) + " | " + git + "hash-object -w --literally --stdin");
  char line[256];
  std::snprintf(line, sizeof line, h.tree_line, blob.c_str());
  std::string entries = std::string(line) + "\\n100644 blob " + good_blob + "\\tok\\n";
  std::string tree = run("printf '%b' " + q(entries) + " | " + git + "mktree");
  std::string bad = run(git + "commit-tree " + tree + " -p " + good + " -m bad");
  run(git + "update-ref refs/heads/main " + bad);
  std::string what = h.what;
  return what == "non-canonical blob" ? blob : tree;
}
}  // namespace

TEST_CASE("a hostile remote is refused and leaves the repository unchanged", "[sync]") {
  std::string kind = GENERATE(as<std::string>{}, "git", "path");
  Hostile hostile = GENERATE(Hostile{"bad mode", "100755 blob %s\\tv", "1\n"},
                             Hostile{"bad name", "100644 blob %s\\t%%zz", "1\n"},
                             Hostile{"non-canonical blob", "100644 blob %s\\tv", "1.0\n"},
                             Hostile{"object in a blob", "100644 blob %s\\tv", "{\"a\":1}\n"});
  CAPTURE(kind, hostile.what);
  Servers servers(kind);
  std::string url = servers.create("evil.git");
  std::string culprit = build_hostile(servers, "evil.git", hostile);

  CliRepo node;
  REQUIRE(node.init().exit_code == 0);
  REQUIRE(node.run("remote add origin " + q(url)).exit_code == 0);
  std::string refs = refs_of(node);
  std::string packs = packs_of(node.path());
  CliResult fetched = node.run("fetch origin -q");
  CHECK(fetched.exit_code == 3);
  CHECK(fetched.err.find("corrupt") != std::string::npos);
  CHECK(fetched.err.find(culprit) != std::string::npos);
  CHECK(refs_of(node) == refs);
  CHECK(packs_of(node.path()) == packs);
  CHECK(node.run("get ''").exit_code == 0);
  CHECK(node.fsck_clean());

  CliRepo cloned;
  CliResult clone = clone_into(cloned, url, "-q");
  CHECK(clone.exit_code == 3);
  CHECK(clone.err.find(culprit) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(cloned.path()));
}
