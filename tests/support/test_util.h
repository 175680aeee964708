// Helpers shared by the tests: temporary directories and running stock git.
#pragma once

#include <filesystem>
#include <string>

namespace gitstate::test {

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout only
};

// Runs `command` through /bin/sh, feeding `input` on stdin; captures stdout.
CommandResult run_command(const std::string& command, const std::string& input = "");

// Quotes `s` for /bin/sh.
std::string shell_quote(const std::string& s);

}  // namespace gitstate::test
