// SPDX-License-Identifier: MIT
// Runs the real taxon-serve as a child process on a free loopback port: it
// prints its URL on standard output once it listens. Every wait is bounded.
#ifndef TAXON_TESTS_SERVE_SERVER_PROCESS_H_
#define TAXON_TESTS_SERVE_SERVER_PROCESS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace taxon::test {

inline const std::string kServeBin = TAXON_SERVE_BIN;

class ServerProcess {
 public:
  /// Starts taxon-serve with `args` (after --listen 127.0.0.1:0) and waits
  /// up to `seconds` for its URL. `stderr_file` receives what it logs.
  ServerProcess(const std::vector<std::string>& args, const std::filesystem::path& stderr_file,
                int seconds = 20)
      : stderr_file_(stderr_file) {
    std::vector<std::string> all = {kServeBin, "--listen", "127.0.0.1:0"};
    all.insert(all.end(), args.begin(), args.end());
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      const int null = ::open("/dev/null", O_RDONLY);
      if (null >= 0) ::dup2(null, STDIN_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    // The first line is the URL.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::string line;
    while (std::chrono::steady_clock::now() < deadline && line.find('\n') == std::string::npos) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      const ssize_t got = ::read(out_, buf, sizeof buf);
      if (got <= 0) break;
      line.append(buf, static_cast<std::size_t>(got));
    }
    if (const auto nl = line.find('\n'); nl != std::string::npos) url_ = line.substr(0, nl);
    if (const auto colon = url_.rfind(':'); colon != std::string::npos)
      port_ = std::atoi(url_.c_str() + colon + 1);
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  bool started() const { return port_ > 0; }

  /// Sends `sig` and waits up to `seconds` for the exit status; -1 if it
  /// did not exit in time (then it is killed), 128 + signal if a signal ended it.
  int stop(int sig = SIGTERM, int seconds = 15) {
    if (pid_ <= 0 || exited_) return status_;
    ::kill(pid_, sig);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        exited_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  /// What it wrote to standard error so far.
  std::string log() const {
    std::ifstream in(stderr_file_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::filesystem::path stderr_file_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::string url_;
  int port_ = 0;
  bool exited_ = false;
  int status_ = -1;
};

}  // namespace taxon::test

#endif  // TAXON_TESTS_SERVE_SERVER_PROCESS_H_
