// SPDX-License-Identifier: MIT
// taxon-bench-query: in-process query latency of taxon::Searcher over the
// benchmark's query list, printed like taxon-bench-fts5's `query` command.
//
//   taxon-bench-query DB queries.txt [PASSES] [strict]
//
// DB is an index folder, or a stub file (which may list remote shards).
//
// Default SearchOptions (limit 10: the last word completed when it is no
// word of the index, stop words optional, related forms and most words when
// nothing matches) with spelling correction off, which the FTS5 peer has no
// equivalent of. `strict` runs the words as typed only (--all --no-partial),
// what the FTS5 peer does, to show what the fallbacks cost.
//
// Besides the figures over every query, it prints p50 and p99 of the
// queries that find something as typed (one search each) and of those that
// fall back (two to four searches each), since the median of the whole list
// lies where the two meet.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "latency.h"
#include "taxon/taxon.h"

namespace {

using taxon_bench::Clock;
using taxon_bench::seconds_since;

/// Runs one query and reads what a program would print of each hit; its
/// hits, and whether it found them as typed (the first step, alone).
std::size_t run_query(taxon::Searcher& searcher, const std::string& query,
                      const taxon::SearchOptions& options, std::size_t& sink,
                      bool* as_typed = nullptr) {
  const taxon::SearchResult result = searcher.search(query, options);
  for (const taxon::Hit& hit : result.hits) {
    const std::string breadcrumb = hit.breadcrumb();
    sink += hit.label.size() + breadcrumb.size();
  }
  if (as_typed) *as_typed = result.steps.size() <= 1;
  return result.hits.size();
}

/// p50 and p99 of the latencies of the queries whose `as_typed` is `want`.
void print_part(const char* name, const std::vector<double>& latencies,
                const std::vector<std::size_t>& query_of, const std::vector<bool>& as_typed,
                const std::vector<bool>& failed, bool want) {
  std::vector<double> part;
  for (std::size_t k = 0; k < latencies.size(); ++k)
    if (as_typed[query_of[k]] == want) part.push_back(latencies[k]);
  std::sort(part.begin(), part.end());
  std::size_t queries = 0;
  for (std::size_t i = 0; i < as_typed.size(); ++i) queries += !failed[i] && as_typed[i] == want;
  std::printf("%s_queries: %zu\n", name, queries);
  std::printf("%s_p50_ms: %.4f\n", name, taxon_bench::percentile(part, 50) * 1000.0);
  std::printf("%s_p99_ms: %.4f\n", name, taxon_bench::percentile(part, 99) * 1000.0);
}

int run(int argc, char** argv) {
  if (argc < 3 || argc > 5 || (argc == 5 && std::string(argv[4]) != "strict")) {
    std::fprintf(stderr, "usage: taxon-bench-query DB queries.txt [PASSES] [strict]\n");
    return 2;
  }
  const std::vector<std::string> queries = taxon_bench::read_queries(argv[2]);
  const std::size_t passes =
      argc >= 4 ? std::max<std::size_t>(1, std::stoul(argv[3])) : std::size_t{3};
  // A stub file may list remote shards (xapian-tcpsrv).
  taxon::OpenOptions open;
  open.allow_remote = std::filesystem::is_regular_file(argv[1]);
  taxon::Searcher searcher(argv[1], open);
  taxon::SearchOptions options;
  options.spelling = false;
  if (argc == 5) {
    options.all = true;
    options.complete = false;
  }
  std::size_t sink = 0;

  taxon_bench::QueryReport report;
  report.queries = queries.size();
  report.passes = passes;
  std::vector<bool> failed(queries.size(), false);
  std::vector<bool> as_typed(queries.size(), true);
  for (std::size_t i = 0; i < queries.size(); ++i) {  // warm-up pass, also counts hits
    try {
      bool found_as_typed = true;
      const std::size_t hits = run_query(searcher, queries[i], options, sink, &found_as_typed);
      as_typed[i] = found_as_typed;
      report.hits += hits;
      if (hits == 0) ++report.zero_hit;
    } catch (const taxon::Error& e) {
      failed[i] = true;
      ++report.errors;
      std::fprintf(stderr, "taxon-bench-query: \"%s\": %s\n", queries[i].c_str(), e.what());
    }
  }
  report.latencies.reserve(queries.size() * passes);
  std::vector<std::size_t> query_of;
  query_of.reserve(queries.size() * passes);
  const auto wall = Clock::now();
  for (std::size_t pass = 0; pass < passes; ++pass) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (failed[i]) continue;
      const auto start = Clock::now();
      run_query(searcher, queries[i], options, sink);
      report.latencies.push_back(seconds_since(start));
      query_of.push_back(i);
    }
  }
  report.wall_seconds = seconds_since(wall);
  print_report((std::string("taxon ") + taxon::version()).c_str(), report);
  print_part("found_as_typed", report.latencies, query_of, as_typed, failed, true);
  print_part("fell_back", report.latencies, query_of, as_typed, failed, false);
  std::printf("index_headings: %zu\n", searcher.size());
  std::printf("sink: %zu\n", sink);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "taxon-bench-query: %s\n", e.what());
    return 1;
  }
}
