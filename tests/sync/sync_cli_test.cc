// End-to-end: clone, fetch, pull and push between gitstate nodes through a
// git daemon (git://), file:// and a plain path.
#include <catch2/catch.hpp>

#include "sync/sync_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::clone_into;
using gitstate::test::q;
using gitstate::test::Servers;
using nlohmann::json;

namespace {
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("clone, pull (fast-forward, merge, conflicts), push refusals", "[sync]") {
  std::string kind = GENERATE(as<std::string>{}, "git", "file", "path");
  CAPTURE(kind);
  Servers servers(kind);
  std::string url = servers.create("state.git");

  CliRepo a, b;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("set /config '{\"a\":1,\"b\":1}'").exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  CHECK(a.run("remote list").json() == json::array({{{"name", "origin"}, {"url", url}}}));
  CHECK(a.run("remote add origin " + q(url)).exit_code == 1);
  CliResult first = a.run("push origin");
  REQUIRE(first.exit_code == 0);
  CHECK(first.json()["refs"][0]["result"] == "created");
  CHECK(servers.git("state.git", "rev-parse main") == a.head() + "\n");

  CliResult cloned = clone_into(b, url);
  REQUIRE(cloned.exit_code == 0);
  CHECK(cloned.json()["branch"] == "main");
  CHECK(b.head() == a.head());
  CHECK(b.run("get /config").json() == json{{"a", 1}, {"b", 1}});
  CHECK(b.run("remote list").json()[0]["name"] == "origin");

  // Fast-forward.
  REQUIRE(a.run("set /config/a 2").exit_code == 0);
  REQUIRE(a.run("push origin -q").exit_code == 0);
  CliResult ff = b.run("pull origin -q");
  REQUIRE(ff.exit_code == 0);
  CHECK(ff.json()["result"] == "fast-forward");
  CHECK(b.head() == a.head());

  // Diverged without conflicts: a merge commit.
  REQUIRE(a.run("set /config/a 3").exit_code == 0);
  REQUIRE(a.run("push origin -q").exit_code == 0);
  REQUIRE(b.run("set /config/b 5").exit_code == 0);
  CliResult merged = b.run("pull origin -q");
  REQUIRE(merged.exit_code == 0);
  CHECK(merged.json()["result"] == "merged");
  CHECK(b.run("get /config").json() == json{{"a", 3}, {"b", 5}});
  json shown = b.run("show").json();
  CHECK(shown["parents"].size() == 2);
  CHECK(shown["message"] == "Merge origin/main into main");
  REQUIRE(b.run("push origin -q").exit_code == 0);
  CHECK(a.run("pull origin -q").json()["result"] == "fast-forward");
  CHECK(a.head() == b.head());

  // Conflicts: --ff-only refuses, pull stops, resolve and continue finish it.
  REQUIRE(a.run("set /config/a 10").exit_code == 0);
  REQUIRE(a.run("push origin -q").exit_code == 0);
  REQUIRE(b.run("set /config/a 20").exit_code == 0);
  std::string before = b.head();
  CliResult refused = b.run("pull origin --ff-only -q");
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "fast-forward"));
  CHECK(b.head() == before);
  CliResult stopped = b.run("pull origin -q");
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.json()["result"] == "conflicts");
  CHECK(b.run("conflicts").json() ==
        json::array({{{"path", "/config/a"}, {"base", 3}, {"ours", 20}, {"theirs", 10}}}));
  CHECK(b.head() == before);
  REQUIRE(b.run("resolve /config/a --theirs").exit_code == 0);
  REQUIRE(b.run("merge --continue").exit_code == 0);
  CHECK(b.run("get /config/a").json() == 10);
  REQUIRE(b.run("push origin -q").exit_code == 0);

  // a is behind: its push is refused here, before anything is sent.
  REQUIRE(a.run("set /config/c 1").exit_code == 0);
  std::string server_head = servers.git("state.git", "rev-parse main");
  CliResult behind = a.run("push origin -q");
  CHECK(behind.exit_code == 1);
  CHECK(contains(behind.err, "non-fast-forward:"));
  CHECK(contains(behind.err, "refs/heads/main"));
  CHECK(servers.git("state.git", "rev-parse main") == server_head);
  CliResult forced = a.run("push origin --force -q");
  CHECK(forced.exit_code == 0);
  CHECK(servers.git("state.git", "rev-parse main") == a.head() + "\n");
  CHECK(a.run("rev-parse origin/main").line() == a.head());

  CHECK(a.fsck_clean());
  CHECK(b.fsck_clean());
  CHECK(b.run("fetch nowhere").exit_code == 2);
  CliRepo c;
  CliResult missing = clone_into(c, servers.url("missing.git"), "-q");
  CHECK(missing.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(c.path()));
  CHECK(b.run("pull origin nobranch -q").exit_code == 2);
}

TEST_CASE("the server's refusal of a non-fast-forward push is reported", "[sync]") {
  Servers servers("git");
  std::string url = servers.create("strict.git");
  servers.git("strict.git", "config receive.denyNonFastForwards true");
  CliRepo a, b;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  REQUIRE(a.run("push origin -q").exit_code == 0);
  REQUIRE(clone_into(b, url, "-q").exit_code == 0);
  REQUIRE(b.run("set /x 1").exit_code == 0);
  REQUIRE(b.run("push origin -q").exit_code == 0);
  std::string server_head = servers.git("strict.git", "rev-parse main");

  REQUIRE(a.run("set /y 2").exit_code == 0);
  CliResult forced = a.run("push origin --force -q");
  CHECK(forced.exit_code == 1);
  CHECK(contains(forced.err, "non-fast-forward"));
  CHECK(contains(forced.err, "rejected"));
  CHECK(servers.git("strict.git", "rev-parse main") == server_head);
}

TEST_CASE("tags and perspective definitions travel, and a projected branch is pushed alone",
          "[sync]") {
  std::string kind = GENERATE(as<std::string>{}, "git", "path");
  CAPTURE(kind);
  Servers servers(kind);
  std::string url = servers.create("state.git");
  CliRepo a, b;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("set '' '{\"public\":{\"x\":1},\"secret\":{\"pw\":\"hunter2\"}}'").exit_code == 0);
  REQUIRE(a.run("tag v1").exit_code == 0);
  REQUIRE(a.run("branch feature").exit_code == 0);
  REQUIRE(a.run("set /public/f 1 -b feature").exit_code == 0);
  REQUIRE(a.run("tag f1 feature").exit_code == 0);
  REQUIRE(a.run("perspective define pub --include '/public/**'").exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  CliResult pushed = a.run("push origin main --tags --perspectives -q");
  REQUIRE(pushed.exit_code == 0);
  std::string remote_refs = servers.git("state.git", "for-each-ref --format='%(refname)'");
  CHECK(remote_refs == "refs/gitstate/perspectives\nrefs/heads/main\nrefs/tags/v1\n");

  CliResult cloned = clone_into(b, url, "-q");
  REQUIRE(cloned.exit_code == 0);
  CHECK(cloned.json()["perspectives"] == "adopted");
  CHECK(b.run("tag --list").json() == json::array({{{"name", "v1"}, {"commit", a.head("v1")}}}));
  CHECK(b.run("perspective list").json().size() == 1);
  CHECK(b.run("view pub").json() == json{{"public", {{"x", 1}}}});

  // A new definition: fetch keeps it aside, pull brings it in.
  REQUIRE(a.run("perspective define all --include '/**'").exit_code == 0);
  REQUIRE(a.run("push origin --perspectives -q").exit_code == 0);
  CliResult fetched = b.run("fetch origin -q");
  REQUIRE(fetched.exit_code == 0);
  CHECK(fetched.json()["refs"][0]["ref"] == "refs/gitstate/remotes/origin/perspectives");
  CHECK(b.run("perspective list").json().size() == 1);
  CliResult pulled = b.run("pull origin -q");
  REQUIRE(pulled.exit_code == 0);
  CHECK(pulled.json()["perspectives"] == "fast-forward");
  CHECK(b.run("perspective list").json().size() == 2);

  // The projected branch alone goes to another repository: nothing hidden travels.
  std::string public_url = servers.create("public.git");
  REQUIRE(a.run("project pub --into published").exit_code == 0);
  REQUIRE(a.run("remote add public " + q(public_url)).exit_code == 0);
  CliResult alone = a.run("push public published --tags -q");
  REQUIRE(alone.exit_code == 0);
  CHECK(servers.git("public.git", "for-each-ref --format='%(refname)'") ==
        "refs/heads/published\n");
  std::string secret_blob = a.run("hash-value '\"hunter2\"'").line();
  CHECK(gitstate::test::run_command("git --git-dir=" + q(servers.path("public.git")) +
                                    " cat-file -e " + secret_blob + " 2>/dev/null")
            .exit_code != 0);
  CHECK(servers.git("public.git", "show published:public/x") == "1\n");
  CHECK(a.fsck_clean());
  CHECK(b.fsck_clean());
}

TEST_CASE("credentials in URLs never appear in messages", "[sync]") {
  int closed_port = gitstate::test::free_loopback_port();
  std::string secret_url =
      "http://alice:s3cr3t-pw@127.0.0.1:" + std::to_string(closed_port) + "/state.git";
  CliRepo a, b;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(secret_url)).exit_code == 0);
  CliResult listed = a.run("remote list");
  CHECK_FALSE(contains(listed.out, "s3cr3t"));
  CHECK(contains(listed.out, "http://127.0.0.1:"));
  for (const char* command : {"fetch origin", "pull origin", "push origin"}) {
    CliResult failed = a.run(command);
    CAPTURE(command, failed.err);
    CHECK(failed.exit_code != 0);
    CHECK(contains(failed.err, "127.0.0.1"));
    CHECK_FALSE(contains(failed.err, "s3cr3t"));
    CHECK_FALSE(contains(failed.err, "alice"));
  }
  CliResult clone =
      clone_into(b, "git://bob:hunter2@127.0.0.1:" + std::to_string(closed_port) + "/x");
  CHECK(clone.exit_code != 0);
  CHECK(contains(clone.err, "127.0.0.1"));
  CHECK_FALSE(contains(clone.err, "hunter2"));
  CHECK_FALSE(std::filesystem::exists(b.path()));
}

TEST_CASE("progress is JSON Lines on a non-terminal stderr, and --quiet silences it", "[sync]") {
  Servers servers("git");
  std::string url = servers.create("state.git");
  CliRepo a, b;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("set /v '[1,2,3]'").exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  CliResult pushed = a.run("push origin");
  REQUIRE(pushed.exit_code == 0);
  CliResult cloned = clone_into(b, url);
  REQUIRE(cloned.exit_code == 0);
  std::vector<json> lines;
  std::istringstream err(cloned.err);
  for (std::string line; std::getline(err, line);)
    if (!line.empty() && line[0] == '{') lines.push_back(json::parse(line));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back()["progress"].is_string());
  CHECK(lines.back()["done"] == lines.back()["total"]);
  CHECK(lines.back().contains("bytes"));
  CliRepo c;
  CliResult quiet = clone_into(c, url, "--quiet");
  REQUIRE(quiet.exit_code == 0);
  CHECK_FALSE(contains(quiet.err, "{\"progress\""));
}
