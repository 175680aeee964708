// Helpers shared by the tests: temporary directories and running stock git.
#pragma once

#include <chrono>
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

// Sets the modification time of every file below `dir` to `age` ago, as if
// written then (what gc's grace period looks at).
void backdate_files(const std::string& dir, std::chrono::seconds age);

// Rewrites the commit journal's header of the repository at `repo` as if it
// had been written before a reboot: the next open replays the journal.
// False when the journal cannot be written.
bool mark_journal_from_earlier_boot(const std::string& repo);

}  // namespace gitstate::test
