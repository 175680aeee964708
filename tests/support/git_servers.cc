#include "support/git_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/test_util.h"

namespace gitstate::test {

namespace {
constexpr double kStartSeconds = 10;
constexpr int kPortAttempts = 5;

std::string find_program(const std::vector<std::string>& candidates) {
  for (const auto& path : candidates)
    if (access(path.c_str(), X_OK) == 0) return path;
  return {};
}

std::string nginx_path() { return find_program({"/usr/sbin/nginx", "/usr/bin/nginx"}); }
std::string fcgiwrap_path() { return find_program({"/usr/sbin/fcgiwrap", "/usr/bin/fcgiwrap"}); }
std::string http_backend_path() {
  CommandResult exec_path = run_command("git --exec-path");
  std::string dir = exec_path.output.substr(0, exec_path.output.find('\n'));
  return find_program({dir + "/git-http-backend", "/usr/lib/git-core/git-http-backend"});
}
}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    if (log >= 0) {
      dup2(log, 1);
      dup2(log, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() { stop(); }

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void ChildProcess::stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);  // its process group: git daemon forks a child per connection
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool wait_for_port(int port, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

GitDaemon::GitDaemon(const std::string& base) {
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = free_loopback_port();
    process_ = ChildProcess({"git", "daemon", "--reuseaddr", "--export-all",
                             "--enable=receive-pack", "--informative-errors", "--base-path=" + base,
                             "--listen=127.0.0.1", "--port=" + std::to_string(port_), base},
                            base + "/../git-daemon.log");
    if (wait_for_port(port_, kStartSeconds) && process_.running()) return;
    process_.stop();
  }
  throw std::runtime_error("git daemon did not start (see git-daemon.log beside " + base + ")");
}

std::string GitDaemon::url(const std::string& repo) const {
  return "git://127.0.0.1:" + std::to_string(port_) + "/" + repo;
}

std::string HttpGitServer::unavailable() {
  if (nginx_path().empty()) return "nginx is not installed (scripts/setup.sh --tests installs it)";
  if (fcgiwrap_path().empty())
    return "fcgiwrap is not installed (scripts/setup.sh --tests installs it)";
  if (http_backend_path().empty()) return "git http-backend is not installed";
  return {};
}

HttpGitServer::HttpGitServer(const std::string& base, const std::string& work,
                             const std::string& user, const std::string& password) {
  if (std::string why = unavailable(); !why.empty()) throw std::runtime_error(why);
  namespace fs = std::filesystem;
  fs::create_directories(work + "/temp");
  std::string socket = work + "/fcgiwrap.sock";
  fcgiwrap_ =
      ChildProcess({fcgiwrap_path(), "-c", "2", "-s", "unix:" + socket}, work + "/fcgiwrap.log");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!fs::exists(socket) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (!fs::exists(socket)) throw std::runtime_error("fcgiwrap did not start (see " + work + ")");
  chmod(socket.c_str(), 0777);
  std::string auth;
  if (!user.empty()) {
    CommandResult hash = run_command("openssl passwd -apr1 " + shell_quote(password));
    std::ofstream(work + "/htpasswd") << user << ":" << hash.output;
    auth = "    auth_basic \"gitstate\";\n    auth_basic_user_file " + work + "/htpasswd;\n";
  }
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = free_loopback_port();
    std::string temp = work + "/temp";
    std::ofstream(work + "/nginx.conf")
        << "daemon off;\nmaster_process off;\nworker_processes 1;\npid " << work
        << "/nginx.pid;\nerror_log " << work << "/error.log;\nevents { worker_connections 64; }\n"
        << "http {\n  access_log off;\n  client_body_temp_path " << temp << "/body;\n"
        << "  fastcgi_temp_path " << temp << "/fastcgi;\n  proxy_temp_path " << temp
        << "/proxy;\n  uwsgi_temp_path " << temp << "/uwsgi;\n  scgi_temp_path " << temp
        << "/scgi;\n  server {\n    listen 127.0.0.1:" << port_ << ";\n"
        << "    client_max_body_size 0;\n"
        << auth << "    location / {\n"
        << "      fastcgi_pass unix:" << socket << ";\n"
        << "      fastcgi_param SCRIPT_FILENAME " << http_backend_path() << ";\n"
        << "      fastcgi_param GIT_PROJECT_ROOT " << base << ";\n"
        << "      fastcgi_param GIT_HTTP_EXPORT_ALL \"\";\n"
        << "      fastcgi_param PATH_INFO $uri;\n"
        << "      fastcgi_param QUERY_STRING $query_string;\n"
        << "      fastcgi_param REQUEST_METHOD $request_method;\n"
        << "      fastcgi_param CONTENT_TYPE $content_type;\n"
        << "      fastcgi_param CONTENT_LENGTH $content_length;\n"
        << "      fastcgi_param REMOTE_USER $remote_user;\n"
        << "      fastcgi_param REMOTE_ADDR $remote_addr;\n"
        << "      fastcgi_param SERVER_PROTOCOL $server_protocol;\n"
        << "      fastcgi_param HTTP_CONTENT_ENCODING $http_content_encoding;\n"
        << "      fastcgi_param GIT_CONFIG_COUNT 1;\n"
        << "      fastcgi_param GIT_CONFIG_KEY_0 http.receivepack;\n"
        << "      fastcgi_param GIT_CONFIG_VALUE_0 true;\n"
        << "    }\n  }\n}\n";
    nginx_ = ChildProcess(
        {nginx_path(), "-p", work, "-e", work + "/error.log", "-c", work + "/nginx.conf"},
        work + "/nginx.log");
    if (wait_for_port(port_, kStartSeconds) && nginx_.running()) return;
    nginx_.stop();
  }
  throw std::runtime_error("nginx did not start (see " + work + "/error.log)");
}

std::string HttpGitServer::url(const std::string& repo) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + repo;
}

}  // namespace gitstate::test
