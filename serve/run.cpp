// SPDX-License-Identifier: MIT
// The HTTP side: routes, headers, limits, metrics, the index watcher and
// shutdown. What each endpoint answers is in api.cpp.
#include <httplib.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX sigset_t, sigtimedwait
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "api.h"
#include "metrics.h"
#include "options.h"
#include "searcher_pool.h"
#include "static_files.h"
#include "taxon/error.h"
#include "taxon/printable.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace taxon::serve {
namespace {

// No endpoint takes a body: a request with a larger one is refused (413).
constexpr std::size_t kMaxBodyBytes = 4096;
// Seconds a connection may idle between requests, and take to send one or
// to read an answer. Shutdown waits for idle connections up to the first.
constexpr time_t kKeepAliveSeconds = 2;
constexpr time_t kReadWriteSeconds = 5;

// The page may run its own script and style and call its own API; nothing
// else, and no other site may frame it.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// When the request being answered on this thread was routed.
thread_local Clock::time_point request_start;
thread_local bool request_timed = false;

const char* content_type_of(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

bool origin_allowed(const std::vector<std::string>& allowed, const std::string& origin) {
  return !origin.empty() && std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
    return a == "*" || a == origin;
  });
}

Params params_of(const httplib::Request& req) {
  return Params(req.params.begin(), req.params.end());
}

void send(httplib::Response& res, const Answer& a) {
  res.status = a.status;
  res.set_header("Cache-Control", "no-cache");
  res.set_content(a.body, "application/json");
}

// Runs until stop(), every `interval`: tells the pool when the index's files changed.
class Watcher {
 public:
  Watcher(fs::path db, SearcherPool& pool, std::chrono::milliseconds interval)
      : db_(std::move(db)), pool_(pool), interval_(interval) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Watcher() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void loop() {
    std::string seen = index_fingerprint(db_);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      std::string now = index_fingerprint(db_);
      if (now != seen) {
        seen = now;
        pool_.files_seen(std::move(now));
      }
      lock.lock();
    }
  }

  const fs::path db_;
  SearcherPool& pool_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// Limits and headers every answer gets.
void set_limits(httplib::Server& server) {
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.set_keep_alive_max_count(1000);
  server.set_read_timeout(kReadWriteSeconds);
  server.set_write_timeout(kReadWriteSeconds);
  server.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, with which a second server on
  // the same port would silently take a share of the connections.
  server.set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_default_headers(
      {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});
}

// Before and after every route: methods, CORS, metrics; and the answers to
// requests no route took or that threw.
void add_handlers(httplib::Server& server, const std::vector<std::string>& cors_origins,
                  Metrics& metrics) {
  server.set_pre_routing_handler(
      [&cors_origins](const httplib::Request& req, httplib::Response& res) {
        request_start = Clock::now();
        request_timed = true;
        if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS") {
          res.set_header("Allow", "GET, HEAD");
          send(res, {405, error_json(req.method + " is not allowed: the API answers GET")});
          return httplib::Server::HandlerResponse::Handled;
        }
        if (req.path.rfind("/api/", 0) == 0) {
          const std::string origin = req.get_header_value("Origin");
          res.set_header("Vary", "Origin");
          if (origin_allowed(cors_origins, origin))
            res.set_header(
                "Access-Control-Allow-Origin",
                std::find(cors_origins.begin(), cors_origins.end(), origin) != cors_origins.end()
                    ? origin
                    : "*");
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  // Counted before the answer is sent (httplib's logger runs after), so
  // that a client reading /metrics after an answer sees it counted.
  server.set_post_routing_handler([&metrics](const httplib::Request& req, httplib::Response& res) {
    const double seconds =
        request_timed ? std::chrono::duration<double>(Clock::now() - request_start).count() : -1;
    request_timed = false;
    metrics.record(endpoint_of(req.path), res.status, seconds);
  });
  // Answers without a body (no route, a request httplib refused) get a JSON one.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const char* why = res.status == 404   ? "no such page or endpoint"
                          : res.status == 413 ? "the request is too large"
                          : res.status == 414 ? "the URL is too long"
                                              : "bad request";
        send(res, {res.status, error_json(why)});
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          std::cerr << "taxon-serve: error: " << printable(e.what()) << "\n";
        } catch (...) {
          std::cerr << "taxon-serve: error: unknown exception\n";
        }
        send(res, {500, error_json("internal error")});
      });
}

// The API, health, metrics and the search page's files.
void add_routes(httplib::Server& server, SearcherPool& pool, const ApiConfig& config,
                Metrics& metrics) {
  server.Get("/api/search", [&](const httplib::Request& req, httplib::Response& res) {
    send(res, search(pool, params_of(req), config));
  });
  server.Get("/api/suggest", [&](const httplib::Request& req, httplib::Response& res) {
    send(res, suggest(pool, params_of(req), config));
  });
  server.Get("/api/tree", [&](const httplib::Request& req, httplib::Response& res) {
    send(res, tree(pool, params_of(req), config));
  });
  server.Options("/api/.*", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "GET");
    res.set_header("Access-Control-Max-Age", "600");
  });
  server.Get("/healthz",
             [&](const httplib::Request&, httplib::Response& res) { send(res, health(pool)); });
  server.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(metrics.text({{"taxon_serve_index_opens_total", "counter",
                                   "Searchers opened or moved to a new commit of the index.",
                                   static_cast<double>(pool.opens())}}),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  // The page's files by their names, from memory: "/" is index.html.
  for (std::size_t i = 0; i < kStaticFileCount; ++i) {
    const StaticFile& f = kStaticFiles[i];
    const bool page = f.name == "index.html";
    // Appended, not "/" + name: GCC 12 warns (-Wrestrict) about the latter at -O3.
    std::string route = "/";
    if (!page) route += f.name;
    server.Get(route, [&f, page](const httplib::Request&, httplib::Response& res) {
      if (page) {
        res.set_header("Content-Security-Policy", kPagePolicy);
        res.set_header("X-Frame-Options", "DENY");
      }
      res.set_header("Cache-Control", page ? "no-cache" : "max-age=300");
      res.set_content(f.body.data(), f.body.size(), content_type_of(f.name));
    });
  }
}

// Answers until SIGTERM or SIGINT (taken by a thread of its own from
// `stop_signals`, which every thread has blocked), reopening the index as it
// changes. False when the server stopped listening by itself.
bool serve_until_stopped(httplib::Server& server, const fs::path& db, SearcherPool& pool,
                         unsigned watch_interval_ms, const sigset_t& stop_signals) {
  Watcher watcher(db, pool, std::chrono::milliseconds(watch_interval_ms));
  std::atomic<bool> done{false};
  std::thread signals([&] {
    const timespec tick{0, 100'000'000};
    while (!done) {
      const int sig = sigtimedwait(&stop_signals, nullptr, &tick);
      if (sig != SIGTERM && sig != SIGINT) continue;
      std::cerr << "taxon-serve: stopping: finishing open requests\n";
      // stop() is a no-op until the server runs: repeat until it has stopped.
      while (!done) {
        server.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  });
  const bool listened = server.listen_after_bind();
  done = true;
  signals.join();
  watcher.stop();
  return listened;
}

}  // namespace

int run(const ServeCliOptions& o) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  fs::path db;
  try {
    db = find_index(o.db, cwd);
  } catch (const Error& e) {
    std::cerr << "taxon-serve: error: " << printable(e.what()) << "\n";
    if (!e.hint().empty()) std::cerr << "taxon-serve: hint: " << printable(e.hint()) << "\n";
    return kExitUsage;
  }
  OpenOptions open;
  open.allow_remote = may_read_remote(db, o.db, o.allow_remote);
  open.remote_timeout_ms = static_cast<unsigned>(o.timeout_seconds * 1000);
  open.allow_partial = o.allow_partial;
  SearcherPool pool(db, open);

  ApiConfig config;
  config.base_url = o.base_url;
  config.show_paths = o.show_paths;
  config.limits = server_limits();
  fs::path abs = fs::absolute(db, ec).lexically_normal();
  if (!abs.has_filename()) abs = abs.parent_path();
  config.site_folder = abs.parent_path();

  // Say at once when the index cannot be read; it may be built later.
  if (const Answer h = health(pool); h.status != 200)
    std::cerr << "taxon-serve: warning: answering 503 until the index can be read\n";

  // Signals are taken by one thread (below); every thread started from here
  // on inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Metrics metrics;
  httplib::Server server;
  const unsigned threads =
      o.threads ? o.threads : std::max(16u, std::thread::hardware_concurrency());
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  set_limits(server);
  add_handlers(server, o.cors_origins, metrics);
  add_routes(server, pool, config, metrics);
  const int port = o.port == 0 ? server.bind_to_any_port(o.host) : o.port;
  if (port < 0 || (o.port != 0 && !server.bind_to_port(o.host, port))) {
    std::cerr << "taxon-serve: error: cannot listen on " << printable(url_host(o.host)) << ":"
              << o.port << ": " << std::strerror(errno) << "\n";
    return kExitFatal;
  }
  std::cout << "http://" << url_host(o.host) << ":" << port << "/" << std::endl;
  std::cerr << "taxon-serve: serving " << printable(fs::absolute(db, ec).string()) << " on http://"
            << printable(url_host(o.host)) << ":" << port << "/ (" << threads
            << " connections at once; SIGTERM or Ctrl-C stops)\n";

  if (!serve_until_stopped(server, db, pool, o.watch_interval_ms, stop_signals)) {
    std::cerr << "taxon-serve: error: the server stopped listening\n";
    return kExitFatal;
  }
  return kExitStopped;
}

}  // namespace taxon::serve
