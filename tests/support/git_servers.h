// Real git servers on 127.0.0.1 for the sync tests and benchmarks: `git
// daemon` (git://, receive-pack enabled) and nginx + fcgiwrap + `git
// http-backend` (http://). Each serves the bare repositories under one
// directory, listens on a free port (found by binding port 0, retried when
// taken meanwhile), is ready when the constructor returns (bounded wait),
// and is stopped (kill + waitpid) on destruction.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace gitstate::test {

// A child process, killed and reaped on destruction.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // True while the process runs (reaps it when it has exited).
  bool running();
  void stop();

 private:
  pid_t pid_ = -1;
};

// A loopback port that was free a moment ago.
int free_loopback_port();

// Waits (at most `seconds`) until 127.0.0.1:port accepts a connection.
bool wait_for_port(int port, double seconds);

class GitDaemon {
 public:
  // Serves every repository under `base` (--export-all --enable=receive-pack).
  // Throws std::runtime_error when it cannot be started.
  explicit GitDaemon(const std::string& base);
  int port() const { return port_; }
  // git://127.0.0.1:<port>/<repo>
  std::string url(const std::string& repo) const;

 private:
  int port_ = 0;
  ChildProcess process_;
};

class HttpGitServer {
 public:
  // Why the HTTP server cannot run here (nginx, fcgiwrap or git-http-backend
  // missing); empty when it can.
  static std::string unavailable();

  // Serves every repository under `base` through git http-backend (pushes
  // allowed). `work` holds the generated configuration, logs and socket.
  // With `user` set, HTTP basic authentication with user/password is required.
  // Throws std::runtime_error when it cannot be started.
  HttpGitServer(const std::string& base, const std::string& work, const std::string& user = "",
                const std::string& password = "");
  int port() const { return port_; }
  // http://127.0.0.1:<port>/<repo>
  std::string url(const std::string& repo) const;

 private:
  int port_ = 0;
  ChildProcess fcgiwrap_;
  ChildProcess nginx_;
};

}  // namespace gitstate::test
