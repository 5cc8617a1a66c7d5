// SPDX-License-Identifier: MIT
// A xapian-tcpsrv (Debian xapian-tools) serving databases on a free loopback
// port, for as long as the object lives: started in a process group of its
// own, so the children it forks per connection end with it.
#ifndef TAXON_TESTS_TCP_SERVER_H_
#define TAXON_TESTS_TCP_SERVER_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace taxon::test {

/// A port nobody listens on at the moment (the kernel's pick for port 0).
inline unsigned free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  unsigned port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

/// Whether something on 127.0.0.1:`port` accepts a connection and speaks
/// first within a second, as xapian-tcpsrv does (its greeting is read, so the
/// server does not find the connection closed under it).
inline bool greets(unsigned port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (ok) {
    pollfd p{fd, POLLIN, 0};
    char buf[256];
    ok = ::poll(&p, 1, 1000) == 1 && ::read(fd, buf, sizeof buf) > 0;
  }
  ::close(fd);
  return ok;
}

class TcpServer {
 public:
  /// Starts `xapian-tcpsrv` on a free port of 127.0.0.1 serving `databases`;
  /// waits (at most 10 s a try, three tries) until it accepts connections.
  /// Throws std::runtime_error when it does not.
  explicit TcpServer(const std::vector<std::string>& databases) {
    for (int attempt = 0; attempt < 3 && port_ == 0; ++attempt) {
      const unsigned port = free_loopback_port();
      if (port == 0) continue;
      start(port, databases);
      if (wait_ready(port, std::chrono::seconds(10)))
        port_ = port;
      else
        stop();  // the port was taken meanwhile, or the server failed: try another
    }
    if (port_ == 0)
      throw std::runtime_error(
          "xapian-tcpsrv did not start (is Debian's xapian-tools installed? scripts/deps.sh)");
  }
  ~TcpServer() { stop(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  unsigned port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  /// Ends the server and every connection it serves (SIGTERM, then SIGKILL
  /// after 5 s); safe to call twice.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    // The server is waited for without being reaped, so its id (the group's)
    // cannot be reused before the group is killed for good.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      info = {};
    }
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  void start(unsigned port, const std::vector<std::string>& databases) {
    std::vector<std::string> args = {"xapian-tcpsrv", "--quiet", "--interface",
                                     "127.0.0.1",     "--port",  std::to_string(port)};
    args.insert(args.end(), databases.begin(), databases.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const int null = ::open("/dev/null", O_RDWR);
      if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
      }
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    if (pid_ > 0) ::setpgid(pid_, pid_);  // whichever runs first, the group exists
  }

  bool wait_ready(unsigned port, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;  // exited: reaped
        return false;
      }
      if (greets(port)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  pid_t pid_ = -1;
  unsigned port_ = 0;
};

}  // namespace taxon::test

#endif  // TAXON_TESTS_TCP_SERVER_H_
