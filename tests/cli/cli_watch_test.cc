// End-to-end: `gitstate watch` in one process while others commit.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>

#include "cli/cli_util.h"

using gitstate::test::CliRepo;
using gitstate::test::CliResult;
using gitstate::test::q;
using nlohmann::json;

namespace {
// A `gitstate watch` running as a child whose lines are read one at a time.
// Every wait is bounded by the watch's own --timeout.
class WatchChild {
 public:
  WatchChild(const CliRepo& repo, const std::string& args) {
    std::string command = q(GITSTATE_BIN) + " --repo " + q(repo.path()) + " watch " + args + " 2>" +
                          q((repo.dir().path() / "watch.err").string());
    pipe_ = popen(command.c_str(), "r");
    REQUIRE(pipe_);
  }
  ~WatchChild() {
    if (pipe_) pclose(pipe_);
  }
  // The next line, parsed; null once the watch has exited.
  json next() {
    std::string line;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe_)) {
      line += buffer;
      if (!line.empty() && line.back() == '\n') return json::parse(line);
    }
    return nullptr;
  }
  int finish() {
    int status = pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  FILE* pipe_ = nullptr;
};

// The commits of `rev` that `log` lists, oldest first, without the root commit.
std::vector<std::string> logged(const CliRepo& repo, const std::string& rev = "main") {
  CliResult log = repo.run("log --json " + q(rev));
  REQUIRE(log.exit_code == 0);
  std::vector<std::string> ids;
  for (const json& line : log.json_lines()) ids.push_back(line["commit"]);
  ids.pop_back();
  return {ids.rbegin(), ids.rend()};
}

// `count` import lines, each adding /<prefix><i> = `value` (default: i).
std::string import_lines(int count, const std::string& prefix, const json& value = nullptr) {
  std::string lines;
  for (int i = 0; i < count; ++i) {
    json line = {{"patch", json::array({{{"op", "add"},
                                         {"path", "/" + prefix + std::to_string(i)},
                                         {"value", value.is_null() ? json(i) : value}}})},
                 {"message", prefix + " " + std::to_string(i)}};
    lines += line.dump() + "\n";
  }
  return lines;
}
}  // namespace

TEST_CASE("watch prints every commit once, in order, while bursts and racing writers commit",
          "[cli][watch]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  constexpr int kImported = 40, kWriters = 4, kSets = 5;
  int total = kImported + kWriters * kSets + 1;
  WatchChild watch(repo, "--since " + root + " --count " + std::to_string(total) + " --timeout 60");
  REQUIRE(repo.run("set /first 1").exit_code == 0);
  REQUIRE(repo.run("import", import_lines(kImported, "i")).exit_code == 0);
  std::string racing;
  for (int w = 0; w < kWriters; ++w) {
    racing += "( for n in $(seq 1 " + std::to_string(kSets) + "); do " + q(GITSTATE_BIN) +
              " --repo " + q(repo.path()) + " set /w" + std::to_string(w) +
              "/$n $n >/dev/null || exit 1; done ) & ";
  }
  CliResult raced = repo.run_raw("bash -c " + q(racing + "wait"));
  REQUIRE(raced.exit_code == 0);

  std::vector<json> lines;
  for (int i = 0; i < total; ++i) {
    json line = watch.next();
    INFO("line " << i);
    REQUIRE(line.is_object());
    lines.push_back(line);
  }
  CHECK(watch.finish() == 0);
  std::vector<std::string> printed;
  for (const json& line : lines) printed.push_back(line["commit"]);
  CHECK(printed == logged(repo));
  CHECK(lines[0]["branch"] == "main");
  CHECK(lines[0]["patch"] == json::parse(R"([{"op":"add","path":"/first","value":1}])"));
  CHECK(lines[1]["message"] == "i 0");
  CHECK(lines[0].contains("author"));
  CHECK(lines[0].contains("time"));
  CHECK(lines[0].contains("tags"));
}

TEST_CASE("watch catches up from --since, keeps to its glob and reports a forced move",
          "[cli][watch]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  REQUIRE(repo.run("set /a/x 1").exit_code == 0);
  std::string first = repo.head();
  REQUIRE(repo.run("set /b 1").exit_code == 0);
  REQUIRE(repo.run("set /a/y 2").exit_code == 0);
  std::string third = repo.head();

  CliResult caught = repo.run("watch " + q("/a/**") + " --since " + root + " --timeout 0.5");
  REQUIRE(caught.exit_code == 0);
  auto lines = caught.json_lines();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["commit"] == first);
  CHECK(lines[1]["commit"] == third);
  CHECK(lines[1]["patch"] == json::parse(R"([{"op":"add","path":"/a/y","value":2}])"));
  CHECK(repo.run("watch --since " + first + " --count 1").json_lines().size() == 1);

  REQUIRE(repo.run("branch exp").exit_code == 0);
  WatchChild watch(repo, "-b exp --count 3 --timeout 60 --since " + third);
  REQUIRE(repo.run("set -b exp /c 1").exit_code == 0);
  json line = watch.next();
  REQUIRE(line.is_object());
  std::string on_exp = line["commit"];
  REQUIRE(repo.run("update-ref refs/heads/exp " + root + " " + on_exp).exit_code == 0);
  line = watch.next();
  REQUIRE(line.is_object());
  CHECK(line == json{{"event", "forced"}, {"branch", "exp"}, {"old", on_exp}, {"new", root}});
  REQUIRE(repo.run("set -b exp /d 1").exit_code == 0);
  line = watch.next();
  REQUIRE(line.is_object());
  CHECK(line["commit"] == repo.head("exp"));
  CHECK(line["patch"] == json::parse(R"([{"op":"add","path":"/d","value":1}])"));
  CHECK(watch.finish() == 0);
}

TEST_CASE("watch ends quietly when its reader goes away, and refuses bad input", "[cli][watch]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  // More than a pipe holds, so the watch is still writing when `head` exits.
  REQUIRE(repo.run("import", import_lines(300, "n", std::string(400, 'x'))).exit_code == 0);
  CliResult piped = repo.run_raw("bash -c " + q("set -o pipefail; " + q(GITSTATE_BIN) + " --repo " +
                                                q(repo.path()) + " watch --since " + root +
                                                " --timeout 30 | head -n 1"));
  CHECK(piped.exit_code == 0);
  CHECK(piped.json_lines().size() == 1);

  CHECK(repo.run("watch no-slash --timeout 1").exit_code == 2);
  CHECK(repo.run("watch --since nosuch --timeout 1").exit_code == 2);
  CHECK(repo.run("watch -b nosuch --timeout 1").exit_code == 2);
  CHECK(repo.run("watch --help").exit_code == 0);
}

TEST_CASE("watch through a perspective prints what log through it would, and no secret",
          "[cli][watch]") {
  CliRepo repo;
  REQUIRE(repo.init().exit_code == 0);
  std::string root = repo.head();
  REQUIRE(repo.run("perspective define public --include '/config/**' --exclude '/**/secret'")
              .exit_code == 0);
  REQUIRE(repo.run("set /config/port 80").exit_code == 0);
  REQUIRE(repo.run("set /config/secret '\"planted-1\"'").exit_code == 0);
  std::string hidden_only = repo.head();
  REQUIRE(repo.run("set /private '\"planted-2\"'").exit_code == 0);
  REQUIRE(repo.run("set /config '{\"port\":81,\"secret\":\"planted-3\"}'").exit_code == 0);

  CliResult watched = repo.run("watch --perspective public --since " + root + " --timeout 0.5");
  REQUIRE(watched.exit_code == 0);
  CliResult logged = repo.run("log --json --perspective public");
  REQUIRE(logged.exit_code == 0);
  auto lines = watched.json_lines();
  auto log_lines = logged.json_lines();
  REQUIRE(lines.size() == 2);
  REQUIRE(log_lines.size() == 3);  // the two commits and the root
  CHECK(lines[0]["commit"] == log_lines[1]["commit"]);
  CHECK(lines[1]["commit"] == log_lines[0]["commit"]);
  CHECK(lines[1]["parents"] == log_lines[0]["parents"]);
  CHECK(lines[1]["patch"] == json::parse(R"([{"op":"replace","path":"/config/port","value":81}])"));
  for (const std::string& secret : {std::string("planted"), hidden_only})
    CHECK(watched.out.find(secret) == std::string::npos);
  CHECK(repo.run("watch --perspective nobody --timeout 0.1").exit_code == 2);
}
