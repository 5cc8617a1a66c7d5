// SPDX-License-Identifier: MIT
// taxon-bench-serve: load on a running taxon-serve over loopback: CLIENTS
// connections at once (each its own kept-alive connection, one request at a
// time), requests drawn from the benchmark's query list, until COUNT
// requests are answered or SECONDS have passed. Prints "key: value" lines
// that bench/run.sh reads.
//
//   taxon-bench-serve URL search|suggest queries.txt [CLIENTS] [COUNT] [SECONDS]
//
// search asks /api/search?q=QUERY (10 hits); suggest asks /api/suggest?q=
// with the query cut inside its last word, as a search box sends it while
// someone types ("mitigation" -> "miti").
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "latency.h"

namespace {

using taxon_bench::Clock;
using taxon_bench::seconds_since;

// The query as typed so far: its last word cut to 60% of its length, at least 2 letters.
std::string typed_prefix(const std::string& query) {
  const std::size_t start = query.rfind(' ') == std::string::npos ? 0 : query.rfind(' ') + 1;
  const std::size_t word = query.size() - start;
  const std::size_t keep = std::max<std::size_t>(2, (word * 6 + 9) / 10);
  return query.substr(0, start + std::min(word, keep));
}

int run(int argc, char** argv) {
  if (argc < 4 || argc > 7) {
    std::fprintf(stderr,
                 "usage: taxon-bench-serve URL search|suggest queries.txt [CLIENTS] [COUNT] "
                 "[SECONDS]\n");
    return 2;
  }
  std::string url = argv[1];
  const std::string endpoint = argv[2];
  if (endpoint != "search" && endpoint != "suggest") {
    std::fprintf(stderr, "taxon-bench-serve: the endpoint is search or suggest\n");
    return 2;
  }
  const std::vector<std::string> queries = taxon_bench::read_queries(argv[3]);
  const int clients = argc > 4 ? std::atoi(argv[4]) : 8;
  const long count = argc > 5 ? std::atol(argv[5]) : 8000;
  const double seconds = argc > 6 ? std::atof(argv[6]) : 20;
  if (clients < 1 || clients > 256 || count < 1 || seconds <= 0) {
    std::fprintf(stderr, "taxon-bench-serve: CLIENTS 1..256, COUNT and SECONDS above 0\n");
    return 2;
  }
  // http://HOST:PORT/ -> HOST, PORT
  if (url.rfind("http://", 0) != 0) {
    std::fprintf(stderr, "taxon-bench-serve: the URL must be http://HOST:PORT/\n");
    return 2;
  }
  url = url.substr(7);
  if (!url.empty() && url.back() == '/') url.pop_back();
  const auto colon = url.rfind(':');
  const std::string host = url.substr(0, colon);
  const int port = std::atoi(url.c_str() + colon + 1);

  std::vector<std::string> paths;
  for (const auto& q : queries)
    paths.push_back(httplib::append_query_params(
        "/api/" + endpoint, {{"q", endpoint == "suggest" ? typed_prefix(q) : q}}));

  std::atomic<long> next{0};
  std::atomic<long> errors{0};
  std::mutex mutex;
  std::vector<double> latencies;
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client(host, port);
      client.set_keep_alive(true);
      client.set_connection_timeout(5);
      client.set_read_timeout(10);
      std::vector<double> mine;
      for (;;) {
        const long i = next++;
        if (i >= count || seconds_since(start) > seconds) break;
        const std::string& path = paths[static_cast<std::size_t>(i + c) % paths.size()];
        const Clock::time_point t = Clock::now();
        auto res = client.Get(path);
        mine.push_back(seconds_since(t));
        if (!res || res->status != 200) ++errors;
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double wall = seconds_since(start);
  std::sort(latencies.begin(), latencies.end());
  const auto ms = [](double s) { return s * 1000.0; };
  std::printf("endpoint: %s\n", endpoint.c_str());
  std::printf("clients: %d\n", clients);
  std::printf("requests: %zu\n", latencies.size());
  std::printf("seconds: %.3f\n", wall);
  std::printf("rps: %.1f\n", wall > 0 ? static_cast<double>(latencies.size()) / wall : 0.0);
  std::printf("p50_ms: %.4f\n", ms(taxon_bench::percentile(latencies, 50)));
  std::printf("p90_ms: %.4f\n", ms(taxon_bench::percentile(latencies, 90)));
  std::printf("p99_ms: %.4f\n", ms(taxon_bench::percentile(latencies, 99)));
  std::printf("max_ms: %.4f\n", latencies.empty() ? 0.0 : ms(latencies.back()));
  std::printf("errors: %ld\n", errors.load());
  return errors > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "taxon-bench-serve: %s\n", e.what());
    return 1;
  }
}
