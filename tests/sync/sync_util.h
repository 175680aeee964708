// Helpers of the sync tests: a directory of bare server repositories reached
// over git:// (a real git daemon), file:// or a plain path, and the
// gitstate/git commands the scenarios repeat.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "cli/cli_util.h"
#include "support/git_servers.h"

namespace gitstate::test {

// Bare repositories under <dir>/srv, served as `kind` says: "git" (git
// daemon on 127.0.0.1), "file" (file://) or "path" (a plain path).
class Servers {
 public:
  explicit Servers(std::string kind) : kind_(std::move(kind)) {
    std::filesystem::create_directories(base());
    if (kind_ == "git") daemon_ = std::make_unique<GitDaemon>(base());
  }
  std::string base() const { return (dir_.path() / "srv").string(); }
  std::string path(const std::string& repo) const { return base() + "/" + repo; }
  std::string url(const std::string& repo) const {
    if (kind_ == "git") return daemon_->url(repo);
    if (kind_ == "file") return "file://" + path(repo);
    return path(repo);
  }
  // A new empty bare repository `repo` made by stock git; returns its URL.
  std::string create(const std::string& repo) const {
    run_command("git init -q --bare --initial-branch=main " + shell_quote(path(repo)));
    return url(repo);
  }
  // `git --git-dir=<repo> <args>` on the server side; stdout.
  std::string git(const std::string& repo, const std::string& args) const {
    return run_command("git --git-dir=" + shell_quote(path(repo)) + " " + args + " 2>/dev/null")
        .output;
  }

 private:
  std::string kind_;
  TempDir dir_;
  std::unique_ptr<GitDaemon> daemon_;
};

// The refs of a repository as `git for-each-ref` lists them.
inline std::string refs_of(const CliRepo& repo) {
  return repo.git("for-each-ref --format='%(refname) %(objectname)'").out;
}

// The pack files of a repository, sorted.
inline std::string packs_of(const std::string& repo_path) {
  return run_command("ls " + shell_quote(repo_path + "/objects/pack") + " | sort").output;
}

// A clone made by `gitstate clone`: a CliRepo whose state directory is the clone.
inline CliResult clone_into(const CliRepo& node, const std::string& url,
                            const std::string& extra = "") {
  return node.run_raw(q(GITSTATE_BIN) + " clone " + q(url) + " " + q(node.path()) + " " + extra);
}

}  // namespace gitstate::test
