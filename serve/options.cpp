// SPDX-License-Identifier: MIT
#include "options.h"

#include "cli_help.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "taxon/version.h"

namespace taxon::serve {
namespace {

constexpr const char* kFooter = R"(Endpoints (docs/serving.md):
  GET /                      the search page
  GET /api/search?q=         the taxon-query --json document (limit, offset, group, facets, lang)
  GET /api/suggest?q=        completions of labels as people type (limit)
  GET /api/tree?page=&hit=   a page's outline with the hit's branch marked
  GET /healthz               200 when the index can be read, else 503
  GET /metrics               request counts and latencies, Prometheus text format

Exit status: 0 stopped by SIGTERM or SIGINT (open requests are finished first),
2 bad command line or no index found, 3 cannot listen on the address, or another
fatal error. An index that cannot be read is no reason to stop: the API answers 503
until it can be, and the index is opened again whenever its files change.
The index is --db, else $TAXON_DB, else the nearest .taxon folder from here upwards.
It listens on 127.0.0.1 (this machine only) unless --listen says otherwise.)";

}  // namespace

bool parse_listen(const std::string& text, std::string& host, int& port) {
  std::string h, p;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
    if (h.find(':') != std::string::npos) return false;  // IPv6 needs brackets
  } else {
    p = text;
  }
  int value = -1;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value < 0 || value > 65535) return false;
  if (!h.empty()) host = h;
  port = value;
  return true;
}

// Table-like: one CLI11 declaration an option, in --help order, then the
// parse; it grows with the options, not with logic.
std::optional<ServeCliOptions> parse_options(int argc, char** argv, int* exit_code) {
  ServeCliOptions o;
  CLI::App app{
      "taxon-serve: search an index of taxon-index over HTTP: a JSON API and a search page",
      "taxon-serve"};
  taxon::cli::use_plain_help(app);
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("taxon-serve ") + taxon::version());
  std::string listen = o.host + ":" + std::to_string(o.port);
  app.add_option("--db", o.db,
                 "Index folder or stub file (default: $TAXON_DB, else the nearest .taxon)")
      ->type_name("PATH");
  app.add_flag("--allow-remote", o.allow_remote,
               "Read remote HOST:PORT shards listed in the stub of the index folder given with "
               "--db or $TAXON_DB (a stub file given there may list them without this)");
  app.add_option("--timeout", o.timeout_seconds,
                 "Seconds a remote shard may take to connect or to answer (default 5)")
      ->check(CLI::Range(0.1, 3600.0))
      ->type_name("SECONDS");
  app.add_flag("--allow-partial", o.allow_partial,
               "Answer from the other shards when a remote shard cannot be reached, with "
               "missing_shards in the JSON, instead of a 503");
  app.add_option("--listen", listen,
                 "Address and port to listen on: HOST:PORT, :PORT or [IPv6]:PORT; port 0 picks "
                 "a free one. The URL is printed on standard output once listening")
      ->capture_default_str()
      ->check([&o](const std::string& v) {
        std::string host = o.host;
        int port = 0;
        return parse_listen(v, host, port) ? std::string()
                                           : "expected HOST:PORT, :PORT or [IPv6]:PORT";
      })
      ->type_name("HOST:PORT");
  app.add_option("--base-url", o.base_url,
                 "Prefix of the hit links, the site's address (e.g. https://example.org)")
      ->type_name("URL");
  app.add_flag("--show-paths", o.show_paths,
               "Put the pages' file paths in the JSON (left out by default: they are this "
               "machine's)");
  app.add_option("--cors-origin", o.cors_origins,
                 "A web site whose pages may call the API from a browser (e.g. "
                 "https://example.org; repeatable; * allows any)")
      ->type_name("ORIGIN");
  app.add_option("--threads", o.threads,
                 "Connections served at once, each with its own searcher (default: the number "
                 "of cores, at least 16)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--watch-interval", o.watch_interval_ms,
                 "How often, in ms, the index's files are checked for a new commit")
      ->capture_default_str()
      ->check(CLI::Range(10u, 3600000u))
      ->type_name("MS");
  if (const auto unknown = taxon::cli::unknown_option(app, argc, argv)) {
    std::cerr << "taxon-serve: " << *unknown << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e) == 0 ? 0 : kExitUsage;
    return std::nullopt;
  }
  parse_listen(listen, o.host, o.port);
  if (!o.base_url.empty()) {
    // The prefix goes in front of every link the page shows: a site address, nothing else.
    const bool web = o.base_url.rfind("http://", 0) == 0 || o.base_url.rfind("https://", 0) == 0 ||
                     o.base_url.front() == '/';
    if (!web) {
      std::cerr << "taxon-serve: error: --base-url must start with http://, https:// or /\n";
      *exit_code = kExitUsage;
      return std::nullopt;
    }
  }
  return o;
}

}  // namespace taxon::serve
