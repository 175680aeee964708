// clone, fetch, pull and push over http:// through a real web server:
// nginx + fcgiwrap + git http-backend on 127.0.0.1, with and without basic
// authentication.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "sync/sync_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::HttpGitServer;
using gitstate::test::q;
using gitstate::test::run_command;
using gitstate::test::TempDir;
using nlohmann::json;

namespace {
// Whether to run: the server's programs are installed; in CI they must be.
bool http_available() {
  std::string why = HttpGitServer::unavailable();
  if (why.empty()) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") FAIL("the HTTP sync tests cannot run: " << why);
  WARN("skipping the HTTP sync tests: " << why);
  return false;
}

struct HttpSite {
  TempDir dir;
  std::string base() const { return (dir.path() / "srv").string(); }
  std::string make_repo(const std::string& name) const {
    run_command("mkdir -p " + q(base()) + " && git init -q --bare " + q(base() + "/" + name));
    return base() + "/" + name;
  }
};
}  // namespace

TEST_CASE("sync over http through nginx and git http-backend", "[sync][http]") {
  if (!http_available()) return;
  HttpSite site;
  std::string served = site.make_repo("state.git");
  HttpGitServer server(site.base(), (site.dir.path() / "www").string());
  std::string url = server.url("state.git");

  CliRepo a, b;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("set /config/a 1").exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  CliResult pushed = a.run("push origin -q");
  REQUIRE(pushed.exit_code == 0);
  CHECK(run_command("git --git-dir=" + q(served) + " rev-parse main").output == a.head() + "\n");

  REQUIRE(b.run_raw(q(GITSTATE_BIN) + " clone -q " + q(url) + " " + q(b.path())).exit_code == 0);
  CHECK(b.run("get /config/a").json() == 1);
  REQUIRE(a.run("set /config/a 2").exit_code == 0);
  REQUIRE(a.run("push origin -q").exit_code == 0);
  REQUIRE(b.run("set /config/b 3").exit_code == 0);
  CliResult pulled = b.run("pull origin -q");
  REQUIRE(pulled.exit_code == 0);
  CHECK(pulled.json()["result"] == "merged");
  CHECK(b.run("get /config").json() == json{{"a", 2}, {"b", 3}});
  REQUIRE(b.run("push origin -q").exit_code == 0);
  CHECK(a.run("fetch origin -q").exit_code == 0);
  CHECK(a.run("rev-parse origin/main").line() == b.head());
  CHECK(b.fsck_clean());
}

TEST_CASE("http credentials come from the environment and never leak", "[sync][http]") {
  if (!http_available()) return;
  HttpSite site;
  site.make_repo("private.git");
  HttpGitServer server(site.base(), (site.dir.path() / "www").string(), "alice", "0pen-sesame");
  std::string url = server.url("private.git");

  CliRepo a, b, c;
  REQUIRE(a.init().exit_code == 0);
  REQUIRE(a.run("remote add origin " + q(url)).exit_code == 0);
  std::string no_helper = "HOME=" + q(a.dir().str()) + " GIT_CONFIG_NOSYSTEM=1 ";
  CliResult anonymous =
      a.run_raw(no_helper + q(GITSTATE_BIN) + " --repo " + q(a.path()) + " push origin -q");
  CHECK(anonymous.exit_code == 1);
  CHECK(anonymous.err.find("127.0.0.1") != std::string::npos);

  std::string wrong = no_helper + "GITSTATE_USERNAME=alice GITSTATE_PASSWORD=wr0ng-guess ";
  CliResult refused =
      a.run_raw(wrong + q(GITSTATE_BIN) + " --repo " + q(a.path()) + " push origin -q");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("wr0ng-guess") == std::string::npos);

  std::string right = no_helper + "GITSTATE_USERNAME=alice GITSTATE_PASSWORD=0pen-sesame ";
  REQUIRE(
      a.run_raw(right + q(GITSTATE_BIN) + " --repo " + q(a.path()) + " push origin -q").exit_code ==
      0);
  REQUIRE(
      b.run_raw(right + q(GITSTATE_BIN) + " clone -q " + q(url) + " " + q(b.path())).exit_code ==
      0);
  CHECK(b.head() == a.head());

  std::string in_url = "http://alice:0pen-sesame@" + url.substr(std::string("http://").size());
  CliResult with_url =
      c.run_raw(no_helper + q(GITSTATE_BIN) + " clone -q " + q(in_url) + " " + q(c.path()));
  REQUIRE(with_url.exit_code == 0);
  CHECK(c.run("remote list").out.find("0pen-sesame") == std::string::npos);
  CliResult bad_url =
      c.run_raw(no_helper + q(GITSTATE_BIN) + " clone -q " +
                q("http://alice:wr0ng-guess@" + url.substr(std::string("http://").size())) + " " +
                q((c.dir().path() / "other").string()));
  CHECK(bad_url.exit_code != 0);
  CHECK(bad_url.err.find("wr0ng-guess") == std::string::npos);
}
