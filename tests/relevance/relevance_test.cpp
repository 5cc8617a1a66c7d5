// SPDX-License-Identifier: MIT
// Relevance suite: indexes data/, runs every query of a query file and
// measures where the expected heading lands. Prints Success@1 and MRR@10,
// overall and per category, lists the queries that miss rank 1, and fails
// when the figures drop under the floors below.
//
// Three query files: queries.tsv, the tuning set the ranking was adjusted on;
// heldout.tsv, written from the pages before the ranking changes it is to
// judge and never tuned on; and unseen.tsv, written after a change to
// measure it on queries that could not have shaped it, run once. Each file
// names its categories in its header.
#define BOOST_TEST_MODULE taxon relevance tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../temp_dir.h"
#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/searcher.h"

namespace {

// Floors set a little under what the suite reaches (Success@1 0.994, MRR@10
// 0.994 with kK1 1.2, kB 0.5, kExactBoost 0.5, kWholeLabelBoost 1.5,
// kLabelWdf 4, kKeywordWdf 1, kContextWdf 1, two shards); raise them when
// ranking improves, never lower them to make a change pass.
constexpr double kMinSuccessAt1 = 0.98;
constexpr double kMinMrrAt10 = 0.98;
constexpr std::size_t kMinQueries = 150;
// Folders of data/ added after the tuning set was written (relative to data/).
const std::vector<std::string> kTuningExcluded = {"maps/emoji"};

// Held-out floors: what the ranking and query handling must reach on queries
// typed the way people type them, overall and in every category. Never lower
// them, and never edit heldout.tsv to meet them.
constexpr double kHeldoutMinSuccessAt1 = 0.95;
constexpr double kHeldoutMinMrrAt10 = 0.97;
constexpr double kHeldoutMinCategorySuccessAt1 = 0.90;
constexpr std::size_t kHeldoutMinQueries = 200;

// unseen.tsv's floors: the figures of its one run (Success@1 0.763, MRR@10
// 0.779), rounded down, so that a change that loses its queries fails.
constexpr double kUnseenMinSuccessAt1 = 0.76;
constexpr double kUnseenMinMrrAt10 = 0.77;
constexpr std::size_t kUnseenMinQueries = 30;

constexpr std::size_t kDepth = 10;

struct Judgement {
  int line = 0;  // in the query file
  std::string category;
  std::string query;
  std::string label;
  std::string path_suffix;
  std::string number;  // empty: any
};

struct QueryFile {
  std::vector<std::string> categories;  // in the order of the header
  std::vector<Judgement> judgements;
};

struct Outcome {
  const Judgement* judgement = nullptr;
  std::size_t rank = 0;  // 1-based; 0 = not in the top kDepth
  std::string first;     // what came first, when it was not the expected heading
  std::string corrected;
  std::string error;
};

struct Figures {
  std::size_t queries = 0;
  std::size_t at_one = 0;
  double reciprocal_ranks = 0;

  void add(std::size_t rank) {
    ++queries;
    if (rank == 1) ++at_one;
    if (rank > 0) reciprocal_ranks += 1.0 / static_cast<double>(rank);
  }
  double success_at_1() const {
    return queries == 0 ? 0 : static_cast<double>(at_one) / static_cast<double>(queries);
  }
  double mrr() const { return queries == 0 ? 0 : reciprocal_ranks / static_cast<double>(queries); }
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

// A category line of the header's "# Categories:" block: "#   name  what it
// tests", the name indented by three spaces (deeper lines continue the text).
std::string header_category(const std::string& line) {
  if (!line.starts_with("#   ") || line.size() < 5 || line[4] == ' ') return {};
  auto end = line.find(' ', 4);
  return line.substr(4, end == std::string::npos ? std::string::npos : end - 4);
}

// Reads the query file; malformed lines are reported in `problems`. The
// categories are those the header lists under "# Categories:".
QueryFile read_query_file(const std::filesystem::path& file, std::vector<std::string>& problems) {
  QueryFile out;
  std::ifstream in(file);
  if (!in) {
    problems.push_back("cannot read " + file.string());
    return out;
  }
  std::string line;
  int line_number = 0;
  bool in_categories = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() == '#') {
      if (line == "# Categories:") {
        in_categories = true;
      } else if (in_categories) {
        if (line == "#") {
          in_categories = false;
        } else if (auto name = header_category(line); !name.empty()) {
          out.categories.push_back(name);
        }
      }
      continue;
    }
    if (line.empty()) continue;
    auto fields = split_tabs(line);
    auto where = file.filename().string() + ":" + std::to_string(line_number) + ": ";
    if (fields.size() < 4 || fields.size() > 5) {
      problems.push_back(where + "expected 4 or 5 tab-separated fields, got " +
                         std::to_string(fields.size()));
      continue;
    }
    Judgement j{line_number, fields[0], fields[1],
                fields[2],   fields[3], fields.size() == 5 ? fields[4] : std::string()};
    bool known = false;
    for (const auto& c : out.categories) known = known || c == j.category;
    if (!known) problems.push_back(where + "unknown category '" + j.category + "'");
    if (j.query.empty() || j.label.empty() || j.path_suffix.empty()) {
      problems.push_back(where + "empty query, label or path");
    }
    out.judgements.push_back(std::move(j));
  }
  if (out.categories.empty()) problems.push_back(file.string() + ": no '# Categories:' block");
  return out;
}

bool ends_with_path(std::string_view path, std::string_view suffix) {
  if (path == suffix) return true;
  return path.size() > suffix.size() && path.ends_with(suffix) &&
         path[path.size() - suffix.size() - 1] == '/';
}

// "3." and "3" are the same section number.
std::string_view without_final_dot(std::string_view number) {
  if (number.ends_with('.')) number.remove_suffix(1);
  return number;
}

bool is_expected(const taxon::Hit& hit, const Judgement& j) {
  return hit.label == j.label &&
         (j.number.empty() || without_final_dot(hit.number) == without_final_dot(j.number)) &&
         ends_with_path(hit.path, j.path_suffix);
}

// "3.2 Security Interests (maps/x.md)", the path shown relative to data/.
std::string describe(const taxon::Hit& hit, const std::string& data_dir) {
  std::string path = hit.path;
  auto prefix = data_dir + "/";
  if (path.starts_with(prefix)) path = path.substr(prefix.size());
  return hit.heading() + " (" + path + ")";
}

Outcome run(taxon::Searcher& searcher, const Judgement& j, const std::string& data_dir) {
  Outcome o;
  o.judgement = &j;
  taxon::SearchOptions options;
  options.limit = kDepth;
  try {
    auto result = searcher.search(j.query, options);
    if (result.used_correction) o.corrected = result.corrected;
    for (std::size_t i = 0; i < result.hits.size() && i < kDepth; ++i) {
      if (is_expected(result.hits[i], j)) {
        o.rank = i + 1;
        break;
      }
    }
    if (o.rank != 1) {
      o.first = result.hits.empty() ? "no hits" : describe(result.hits.front(), data_dir);
    }
  } catch (const taxon::Error& e) {
    o.error = e.what();
  }
  return o;
}

std::string fixed(double value) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << value;
  return s.str();
}

std::string table(const std::vector<std::string>& categories,
                  const std::map<std::string, Figures>& by_category, const Figures& overall) {
  std::ostringstream s;
  s << std::left << std::setw(14) << "category" << std::right << std::setw(8) << "queries"
    << std::setw(12) << "Success@1" << std::setw(10) << "MRR@10" << '\n';
  auto row = [&s](const std::string& name, const Figures& f) {
    s << std::left << std::setw(14) << name << std::right << std::setw(8) << f.queries
      << std::setw(12) << fixed(f.success_at_1()) << std::setw(10) << fixed(f.mrr()) << '\n';
  };
  for (const auto& c : categories) {
    auto it = by_category.find(c);
    if (it != by_category.end()) row(c, it->second);
  }
  row("overall", overall);
  return s.str();
}

std::string failure_line(const Outcome& o) {
  const auto& j = *o.judgement;
  std::ostringstream s;
  s << "  line " << j.line << " [" << j.category << "] \"" << j.query << "\" -> expected \""
    << (j.number.empty() ? "" : j.number + " ") << j.label << "\" (" << j.path_suffix << ") ";
  if (!o.error.empty()) {
    s << "error: " << o.error;
    return s.str();
  }
  s << (o.rank == 0 ? "not in top " + std::to_string(kDepth) : "at rank " + std::to_string(o.rank))
    << "; first: " << o.first;
  if (!o.corrected.empty()) s << "; corrected to \"" << o.corrected << "\"";
  return s.str();
}

// The folders to index: `data_dir` without the `excluded` folders (relative
// to it), as the smallest set of folders and files that covers the rest.
std::vector<std::filesystem::path> roots_without(const std::filesystem::path& data_dir,
                                                 const std::vector<std::string>& excluded) {
  if (excluded.empty()) return {data_dir};
  std::vector<std::filesystem::path> roots;
  std::vector<std::filesystem::directory_entry> entries{
      std::filesystem::directory_iterator(data_dir), std::filesystem::directory_iterator()};
  std::sort(entries.begin(), entries.end());
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    std::vector<std::string> below;  // excluded folders under this entry
    bool is_excluded = false;
    for (const auto& x : excluded) {
      if (x == name) is_excluded = true;
      if (x.starts_with(name + "/")) below.push_back(x.substr(name.size() + 1));
    }
    if (is_excluded) continue;
    if (below.empty() || !e.is_directory()) {
      roots.push_back(e.path());
    } else {
      for (auto& r : roots_without(e.path(), below)) roots.push_back(std::move(r));
    }
  }
  return roots;
}

struct Measured {
  Figures overall;
  std::map<std::string, Figures> by_category;
};

// Indexes data/ (without the `excluded` folders, relative to data/) into a
// fresh folder, runs every query of `file` and prints the figures and the
// misses. Fails the test on a malformed query file.
Measured measure(const std::filesystem::path& file, std::size_t min_queries,
                 const std::vector<std::string>& excluded = {}) {
  std::vector<std::string> problems;
  auto queries = read_query_file(file, problems);
  for (const auto& p : problems) BOOST_TEST_MESSAGE(p);
  BOOST_TEST(problems.empty(), "the query file has malformed lines");
  BOOST_TEST(queries.judgements.size() >= min_queries,
             file.filename().string() << " holds " << queries.judgements.size()
                                      << " queries, fewer than " << min_queries);

  taxon::test::TempDir temp;
  const std::string data_dir = std::filesystem::path(TAXON_DATA_DIR).lexically_normal().string();
  taxon::IndexOptions index_options;
  index_options.db = temp.path() / ".taxon";
  // A fixed shard count, so the figures do not depend on the machine's cores.
  index_options.jobs = 2;
  {
    taxon::Indexer indexer(index_options);
    std::size_t diagnostics = 0;
    auto summary = indexer.index(roots_without(data_dir, excluded), {},
                                 [&diagnostics](const taxon::Diagnostic&) { ++diagnostics; });
    BOOST_TEST_MESSAGE("indexed " << summary.added << " pages, " << summary.headings
                                  << " headings (" << summary.skipped << " skipped, " << diagnostics
                                  << " diagnostics)");
    BOOST_TEST_REQUIRE(summary.headings > 0u);
  }
  taxon::Searcher searcher(index_options.db);

  Measured m;
  std::vector<Outcome> misses;
  for (const auto& j : queries.judgements) {
    auto o = run(searcher, j, data_dir);
    m.overall.add(o.rank);
    m.by_category[j.category].add(o.rank);
    if (o.rank != 1) misses.push_back(std::move(o));
  }

  std::string over = data_dir;
  for (const auto& x : excluded) over += " without " + x;
  BOOST_TEST_MESSAGE(file.filename().string()
                     << " over " << over << "\n"
                     << table(queries.categories, m.by_category, m.overall));
  std::ostringstream listing;
  listing << misses.size() << " queries without the expected heading first:";
  for (const auto& o : misses) listing << '\n' << failure_line(o);
  BOOST_TEST_MESSAGE(listing.str());
  return m;
}

// The overall floors of a set: Success@1 and MRR@10.
void check_overall(const Measured& m, double min_success_at_1, double min_mrr) {
  BOOST_TEST(m.overall.success_at_1() >= min_success_at_1,
             "Success@1 " << fixed(m.overall.success_at_1()) << " is under the floor "
                          << fixed(min_success_at_1));
  BOOST_TEST(m.overall.mrr() >= min_mrr,
             "MRR@10 " << fixed(m.overall.mrr()) << " is under the floor " << fixed(min_mrr));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(relevance)

// The tuning set: the ranking was adjusted on these queries. It is measured
// over the content it was written for: data/maps/emoji/ came later, and holds
// labels that several of its queries equal ("teacher", "astronaut", "video
// game", "lipstick"), which makes those queries ambiguous by the set's own rule.
BOOST_AUTO_TEST_CASE(ranking_meets_floors) {
  auto m = measure(TAXON_RELEVANCE_QUERIES, kMinQueries, kTuningExcluded);
  check_overall(m, kMinSuccessAt1, kMinMrrAt10);
}

// The held-out set: never tuned on. Its overall floors and its floor of
// every category are asserted.
BOOST_AUTO_TEST_CASE(heldout_meets_floors) {
  auto m = measure(TAXON_RELEVANCE_HELDOUT, kHeldoutMinQueries);
  check_overall(m, kHeldoutMinSuccessAt1, kHeldoutMinMrrAt10);
  for (const auto& [category, f] : m.by_category) {
    BOOST_TEST(f.success_at_1() >= kHeldoutMinCategorySuccessAt1,
               category << " Success@1 " << fixed(f.success_at_1()) << " is under the floor "
                        << fixed(kHeldoutMinCategorySuccessAt1));
  }
}

// The unseen batch: its figures may not drop under those of its one run.
BOOST_AUTO_TEST_CASE(unseen_keeps_its_first_figures) {
  auto m = measure(TAXON_RELEVANCE_UNSEEN, kUnseenMinQueries);
  check_overall(m, kUnseenMinSuccessAt1, kUnseenMinMrrAt10);
}

BOOST_AUTO_TEST_SUITE_END()
