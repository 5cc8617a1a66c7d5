// SPDX-License-Identifier: MIT
// Shared by the two query benchmarks (taxon-bench-query, taxon-bench-fts5) so
// that both read the query list and compute percentiles the same way.
#ifndef TAXON_BENCH_LATENCY_H_
#define TAXON_BENCH_LATENCY_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace taxon_bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The non-empty lines of a query file, one query each.
inline std::vector<std::string> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> queries;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) queries.push_back(line);
  }
  if (queries.empty()) throw std::runtime_error(path + " holds no query");
  return queries;
}

/// The words of a query, split on spaces.
inline std::vector<std::string> split_words(const std::string& query) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < query.size()) {
    const std::size_t start = query.find_first_not_of(' ', pos);
    if (start == std::string::npos) break;
    std::size_t end = query.find(' ', start);
    if (end == std::string::npos) end = query.size();
    words.push_back(query.substr(start, end - start));
    pos = end;
  }
  return words;
}

/// Nearest-rank percentile of sorted values (p in 0..100).
inline double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

/// What one program measured over the query list, printed as "key: value"
/// lines that bench/run.sh reads.
struct QueryReport {
  std::vector<double> latencies;  ///< seconds, one per measured query
  double wall_seconds = 0;        ///< wall time of all measured passes
  std::size_t queries = 0;        ///< queries in the list
  std::size_t passes = 0;         ///< measured passes over the list
  std::size_t zero_hit = 0;       ///< queries of the list without a hit
  std::size_t hits = 0;           ///< hits returned over one pass
  std::size_t errors = 0;         ///< queries that failed (one pass)
};

inline void print_report(const char* engine, QueryReport report) {
  std::sort(report.latencies.begin(), report.latencies.end());
  const auto ms = [](double s) { return s * 1000.0; };
  double sum = 0;
  for (double s : report.latencies) sum += s;
  const double count = static_cast<double>(report.latencies.size());
  std::printf("engine: %s\n", engine);
  std::printf("queries: %zu\n", report.queries);
  std::printf("passes: %zu\n", report.passes);
  std::printf("p50_ms: %.4f\n", ms(percentile(report.latencies, 50)));
  std::printf("p90_ms: %.4f\n", ms(percentile(report.latencies, 90)));
  std::printf("p99_ms: %.4f\n", ms(percentile(report.latencies, 99)));
  std::printf("max_ms: %.4f\n", report.latencies.empty() ? 0.0 : ms(report.latencies.back()));
  std::printf("mean_ms: %.4f\n", count > 0 ? ms(sum / count) : 0.0);
  std::printf("qps: %.1f\n", report.wall_seconds > 0 ? count / report.wall_seconds : 0.0);
  std::printf("zero_hit_queries: %zu\n", report.zero_hit);
  std::printf("hits_per_query: %.2f\n", report.queries > 0 ? static_cast<double>(report.hits) /
                                                                 static_cast<double>(report.queries)
                                                           : 0.0);
  std::printf("errors: %zu\n", report.errors);
}

}  // namespace taxon_bench

#endif  // TAXON_BENCH_LATENCY_H_
