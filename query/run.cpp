// SPDX-License-Identifier: MIT
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "options.h"
#include "render.h"
#include "taxon/error.h"
#include "taxon/printable.h"

namespace taxon::cli {
namespace {

// The longest query read from stdin (a query's own limit is far below).
constexpr std::size_t kMaxStdinQuery = 1 << 20;

// All of stdin as one query: lines joined with spaces.
bool read_stdin_query(std::string& out) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!out.empty()) out += ' ';
    out += line;
    if (out.size() > kMaxStdinQuery) return false;
  }
  return true;
}

// Each page with a hit, once, in the order of its best hit.
void render_files(std::ostream& out, const SearchResult& r, const std::filesystem::path& cwd,
                  char end) {
  std::set<std::string> seen;
  for (const auto& h : r.hits)
    if (seen.insert(h.path).second) out << display_path(h.path, cwd) << end;
}

int exit_for(const Error& e) {
  switch (e.code()) {
    case ErrorCode::NotFound:
    case ErrorCode::BadQuery:
    case ErrorCode::InvalidArgument:
      return kExitUsage;
    default:
      return kExitIndex;
  }
}

// --batch: one query a line, one JSON line out each; a malformed query gets
// {"query": ..., "error": ...} and the next line is read.
int run_batch(Searcher& searcher, const SearchOptions& so) {
  bool any_hits = false;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    try {
      const SearchResult r = searcher.search(line, so);
      any_hits = any_hits || !r.hits.empty();
      std::cout << to_json(r, -1) << "\n" << std::flush;
    } catch (const Error& e) {
      if (exit_for(e) != kExitUsage) throw;
      nlohmann::json j = {{"query", line}, {"error", e.what()}};
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n"
                << std::flush;
    }
  }
  return any_hits ? kExitHits : kExitNoHits;
}

// What was done to the query, on stderr: the correction, the completion,
// a fallback, and with --explain the steps and the Xapian query.
void print_notices(const QueryCliOptions& o, const SearchResult& r) {
  if (!r.corrected.empty()) {
    // The correction is made of words from the pages.
    std::cerr << "did you mean: " << printable(r.corrected);
    if (r.used_correction)
      std::cerr << " (showing its hits: '" << printable(o.query) << "' has none)";
    std::cerr << "\n";
  }
  if (!r.completed_from.empty())
    std::cerr << "completed: " << printable(r.completed_from) << " \u2192 "
              << printable(r.completed_to) << "\n";
  if (r.most_words)
    std::cerr << "no heading has all the words; showing headings with most of them\n";
  else if (r.derived)
    std::cerr << "no heading has the words as typed; showing related word forms\n";
  if (o.explain) {
    std::cerr << "steps:";
    for (const auto& step : r.steps) std::cerr << " " << step << ";";
    std::cerr << " languages:";
    for (const auto& l : r.languages) std::cerr << " " << l;
    if (!r.optional_words.empty()) {
      std::cerr << "; optional:";
      for (const auto& w : r.optional_words) std::cerr << " " << printable(w);
    }
    std::cerr << "\nquery: " << printable(r.explain) << "\n";
  }
}

// The hits (or their count, or their pages) in the form asked for.
void print_result(const QueryCliOptions& o, const SearchResult& r,
                  const std::filesystem::path& cwd) {
  const bool color = o.color == Color::Always ||
                     (o.color == Color::Auto && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  const RenderOptions ro{color, r.used_correction ? r.corrected : o.query, cwd};
  const char end = o.format == Format::Text0 ? '\0' : '\n';
  if (o.count) {
    std::cout << r.estimated_total << "\n";
  } else if (o.output == Output::Files) {
    render_files(std::cout, r, cwd, end);
  } else if (o.format == Format::Tsv || o.format == Format::Text0) {
    render_tsv(std::cout, r, ro, end);
  } else if (o.tree) {
    render_tree(std::cout, r, ro);
  } else {
    render_text(std::cout, r, ro);
    if (!r.hits.empty()) {
      // "1–10 of about 37": where this page stands, for paging on.
      std::cout << "\n"
                << r.hits.front().rank << "\u2013" << r.hits.back().rank << " of "
                << (r.total_is_exact ? "" : "about ") << r.estimated_total << "\n";
    }
  }
}

// --facets in text: the ten largest counts of each facet.
void print_facets(const SearchResult& r, const std::filesystem::path& cwd) {
  for (const auto& [name, counts] : r.facets) {
    std::cout << "\n" << name << ":";
    std::size_t shown = 0;
    for (const auto& c : counts) {
      if (++shown > 10) break;
      std::cout << (shown == 1 ? " " : ", ")
                << printable(name == "page" ? display_path(c.value, cwd) : c.value) << " ("
                << c.count << ")";
    }
    std::cout << "\n";
  }
}

// --complete without an index: the fields `word` starts; false for none.
bool print_fields_completing(const std::string& word) {
  if (word.find(':') != std::string::npos) return false;
  bool any = false;
  for (const auto& f : query_fields())
    if (f.compare(0, word.size(), word) == 0) {
      std::cout << f << "\n";
      any = true;
    }
  return any;
}

}  // namespace

int run(const QueryCliOptions& given) {
  QueryCliOptions o = given;
  try {
    if (!o.batch && !o.query_given && !o.complete) {
      if (o.query == "-" || !isatty(STDIN_FILENO)) {
        o.query.clear();
        if (!read_stdin_query(o.query))
          throw Error(ErrorCode::InvalidArgument, "the query on stdin is over 1 MiB");
      }
      if (o.query.empty())
        throw Error(ErrorCode::InvalidArgument, "no query given",
                    "give it as arguments, or on stdin (taxon-query - < FILE)");
    }
    std::error_code ec;
    const auto cwd = std::filesystem::current_path(ec);
    const std::filesystem::path db = find_index(o.db, cwd);
    OpenOptions open;
    open.allow_remote = may_read_remote(db, o.db, o.allow_remote);
    open.remote_timeout_ms = static_cast<unsigned>(o.timeout_seconds * 1000);
    open.allow_partial = o.allow_partial;
    Searcher searcher(db, open);
    if (o.complete) {
      const auto words = searcher.complete(*o.complete, o.search.limit);
      for (const auto& w : words) std::cout << printable(w) << "\n";
      return words.empty() ? kExitNoHits : kExitHits;
    }
    SearchOptions so = o.search;
    if (o.count) {
      so.limit = 0;
      so.exact_total = true;
    }
    if (o.batch) return run_batch(searcher, so);
    SearchResult r = searcher.search(o.query, so);
    for (const auto& m : r.missing_shards)
      std::cerr << "taxon-query: warning: left out " << printable(m) << "\n";

    if (o.format == Format::Json) {
      std::cout << to_json(r) << "\n";
    } else {
      print_notices(o, r);
      print_result(o, r, cwd);
      if (o.search.facets && o.format == Format::Text && !o.count) print_facets(r, cwd);
    }
    if (o.count) return r.estimated_total > 0 ? kExitHits : kExitNoHits;
    return r.hits.empty() ? kExitNoHits : kExitHits;
  } catch (const Error& e) {
    // With no index to read, a word still completes to the fields it starts.
    if (o.complete && (e.code() == ErrorCode::NotFound || e.code() == ErrorCode::IndexVersion) &&
        print_fields_completing(*o.complete))
      return kExitHits;
    // Messages carry paths and query text.
    std::cerr << "taxon-query: error: " << printable(e.what()) << "\n";
    if (!e.hint().empty()) std::cerr << "taxon-query: hint: " << printable(e.hint()) << "\n";
    return exit_for(e);
  }
}

}  // namespace taxon::cli
