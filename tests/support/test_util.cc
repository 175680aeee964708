#include "support/test_util.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace gitstate::test {

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "gitstate-test-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

CommandResult run_command(const std::string& command, const std::string& input) {
  TempDir dir;
  std::string in_path = (dir.path() / "stdin").string();
  std::ofstream(in_path, std::ios::binary) << input;
  std::string full = "(" + command + ") < " + shell_quote(in_path);
  CommandResult result;
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return result;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) result.output.append(buf, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

void backdate_files(const std::string& dir, std::chrono::seconds age) {
  auto when = std::filesystem::file_time_type::clock::now() - age;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) std::filesystem::last_write_time(entry.path(), when);
}

bool mark_journal_from_earlier_boot(const std::string& repo) {
  std::string header = "gitstate journal 1\nboot 00000000-0000-0000-0000-000000000000\n";
  header.resize(64, '\n');
  int fd = ::open((repo + "/gitstate-journal").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::pwrite(fd, header.data(), header.size(), 0) == 64;
  ::close(fd);
  return ok;
}

}  // namespace gitstate::test
