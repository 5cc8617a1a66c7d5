// SPDX-License-Identifier: MIT
#ifndef TAXON_SERVE_OPTIONS_H_
#define TAXON_SERVE_OPTIONS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace taxon::serve {

/// Exit codes of taxon-serve (also in --help and docs/).
enum Exit : int {
  kExitStopped = 0,  // stopped by SIGTERM or SIGINT after finishing open requests
  kExitUsage = 2,    // bad command line, or no index named or found
  kExitFatal = 3,    // cannot listen on the address (in use, not allowed), or another fatal error
};

/// The port taxon-serve listens on when --listen names none.
inline constexpr int kDefaultPort = 8296;

struct ServeCliOptions {
  std::filesystem::path db;
  bool allow_remote = false;   // read remote HOST:PORT shards of the stub
  double timeout_seconds = 5;  // a remote shard's time to connect or answer
  bool allow_partial = false;  // leave out remote shards that cannot be reached
  std::string host = "127.0.0.1";
  int port = kDefaultPort;  // 0: any free port
  std::string base_url;     // prefix of the hit links
  bool show_paths = false;  // file paths in the JSON
  std::vector<std::string> cors_origins;
  unsigned threads = 0;               // 0: the default (at least 8, one a core)
  unsigned watch_interval_ms = 1000;  // how often the index folder is looked at
};

std::optional<ServeCliOptions> parse_options(int argc, char** argv, int* exit_code);

/// "HOST:PORT", ":PORT", "PORT", "[::1]:PORT": false when it is none of them.
bool parse_listen(const std::string& text, std::string& host, int& port);

int run(const ServeCliOptions& options);

}  // namespace taxon::serve

#endif  // TAXON_SERVE_OPTIONS_H_
