// Helpers for the end-to-end tests of the `gitstate` command: a temporary
// state repository and a way to run the built binary (GITSTATE_BIN, set by
// CMake) and stock git against it. Header-only: tests/ compiles only *_test.cc.
#pragma once

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_util.h"

namespace gitstate::test {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr

  nlohmann::json json() const { return nlohmann::json::parse(out); }
  // stdout as JSON Lines.
  std::vector<nlohmann::json> json_lines() const {
    std::vector<nlohmann::json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }
  // stdout without its final newline (an id line).
  std::string line() const {
    return !out.empty() && out.back() == '\n' ? out.substr(0, out.size() - 1) : out;
  }
};

inline std::string q(const std::string& s) { return shell_quote(s); }

// A directory holding a state repository at dir/state (not created until init()).
class CliRepo {
 public:
  std::string path() const { return (dir_.path() / "state").string(); }
  const TempDir& dir() const { return dir_; }

  // `gitstate --repo <path> <args>`; `args` is shell text (quote with q()).
  CliResult run(const std::string& args, const std::string& input = "") const {
    return run_raw(q(GITSTATE_BIN) + " --repo " + q(path()) + " " + args, input);
  }
  // `git --git-dir=<path> <args>`.
  CliResult git(const std::string& args, const std::string& input = "") const {
    return run_raw("git --git-dir=" + q(path()) + " " + args, input);
  }
  // Any shell command, capturing stdout and stderr.
  CliResult run_raw(const std::string& command, const std::string& input = "") const {
    std::string err_path = (dir_.path() / "stderr").string();
    CommandResult result = run_command(command + " 2>" + q(err_path), input);
    std::ifstream err(err_path, std::ios::binary);
    return {result.exit_code, result.output,
            std::string(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>())};
  }

  CliResult init() const { return run("init"); }
  // `git fsck --strict --full` exits 0 and reports nothing.
  bool fsck_clean() const {
    CliResult fsck = git("fsck --strict --full --no-progress");
    return fsck.exit_code == 0 && fsck.err.find("error") == std::string::npos &&
           fsck.err.find("warning") == std::string::npos;
  }
  std::string head(const std::string& rev = "main") const {
    return run("rev-parse " + q(rev)).line();
  }

 private:
  TempDir dir_;
};

}  // namespace gitstate::test
