// SPDX-License-Identifier: MIT
// taxon-bench-fts5: the SQLite FTS5 peer of the benchmarks, fed with the same
// records as taxon (records.tsv from taxon-bench-gen).
//
//   taxon-bench-fts5 index DBFILE records.tsv
//   taxon-bench-fts5 query DBFILE queries.txt [PASSES]
//   taxon-bench-fts5 query1 DBFILE "words..."
//   taxon-bench-fts5 version
//
// Queries use AND semantics: each word becomes an FTS5 string ("word") and
// the strings are joined by spaces (implicit AND), ranked by bm25(), LIMIT 10.
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "latency.h"

namespace {

using taxon_bench::Clock;
using taxon_bench::seconds_since;

constexpr const char* kCreateTable =
    "CREATE VIRTUAL TABLE headings USING fts5("
    "label, keywords, breadcrumb, path UNINDEXED, line UNINDEXED, "
    "tokenize='porter unicode61')";
constexpr const char* kInsert =
    "INSERT INTO headings(label, keywords, breadcrumb, path, line) VALUES(?1, ?2, ?3, ?4, ?5)";
constexpr const char* kSelect =
    "SELECT label, breadcrumb, path, line FROM headings WHERE headings MATCH ?1 "
    "ORDER BY bm25(headings) LIMIT 10";

/// Owns a connection; throws on every SQLite error.
class Database {
 public:
  Database(const std::string& file, int flags) {
    if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error(file + ": " + message);
    }
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* get() const { return db_; }

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw std::runtime_error(std::string(sql) + ": " + message);
    }
  }

  void check(int rc, const char* what) const {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
      throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db_));
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

/// A prepared statement, finalized on destruction.
class Statement {
 public:
  Statement(Database& db, const char* sql) : db_(db) {
    db.check(sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr),
             sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const { return stmt_; }

  void bind_text(int index, std::string_view text) {
    db_.check(
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC),
        "bind");
  }

  /// SQLITE_ROW or SQLITE_DONE; throws on errors.
  int step() {
    const int rc = sqlite3_step(stmt_);
    db_.check(rc, "step");
    return rc;
  }

  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string column(int index) const {
    const auto* text = sqlite3_column_text(stmt_, index);
    const int size = sqlite3_column_bytes(stmt_, index);
    return text != nullptr
               ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
               : std::string();
  }

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// Splits a records.tsv line into its five fields; false when malformed.
bool split_record(std::string_view line, std::string_view (&fields)[5]) {
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t tab = i < 4 ? line.find('\t', start) : line.size();
    if (tab == std::string_view::npos) return false;
    fields[i] = line.substr(start, tab - start);
    start = tab + 1;
  }
  return true;
}

int cmd_index(const std::string& file, const std::string& records_path) {
  std::filesystem::remove(file);
  std::filesystem::remove(file + "-journal");
  std::ifstream records(records_path, std::ios::binary);
  if (!records) throw std::runtime_error("cannot read " + records_path);

  const auto start = Clock::now();
  Database db(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db.exec(kCreateTable);
  db.exec("BEGIN");
  std::size_t count = 0;
  {
    Statement insert(db, kInsert);
    std::string line;
    std::string_view fields[5];
    while (std::getline(records, line)) {
      if (line.empty()) continue;
      if (!split_record(line, fields)) {
        throw std::runtime_error(records_path + ":" + std::to_string(count + 1) + ": bad record");
      }
      for (int i = 0; i < 4; ++i) insert.bind_text(i + 1, fields[i]);
      db.check(sqlite3_bind_int(insert.get(), 5, std::atoi(std::string(fields[4]).c_str())),
               "bind");
      insert.step();
      insert.reset();
      ++count;
    }
  }
  db.exec("COMMIT");
  const double load_seconds = seconds_since(start);
  // Merge the segments of the bulk load into one b-tree, as one would for a
  // static corpus: FTS5's best case at query time. Counted in the build time.
  const auto optimize_start = Clock::now();
  db.exec("INSERT INTO headings(headings) VALUES('optimize')");
  const double optimize_seconds = seconds_since(optimize_start);
  const double seconds = seconds_since(start);

  std::printf("engine: sqlite-fts5 %s\n", sqlite3_libversion());
  std::printf("headings: %zu\n", count);
  std::printf("load_seconds: %.3f\n", load_seconds);
  std::printf("optimize_seconds: %.3f\n", optimize_seconds);
  std::printf("seconds: %.3f\n", seconds);
  std::printf("headings_per_s: %.0f\n", seconds > 0 ? static_cast<double>(count) / seconds : 0.0);
  return 0;
}

/// The FTS5 expression for a query: every word quoted, joined by spaces.
std::string match_expression(const std::string& query) {
  std::string expression;
  for (const std::string& word : taxon_bench::split_words(query)) {
    if (!expression.empty()) expression += ' ';
    expression += '"';
    for (char c : word) {
      if (c == '"') expression += '"';
      expression += c;
    }
    expression += '"';
  }
  return expression;
}

/// Runs one query the way an application would: builds the expression, runs
/// the prepared statement, copies label and breadcrumb of every row.
std::size_t run_query(Statement& select, const std::string& query, std::size_t& sink) {
  const std::string expression = match_expression(query);
  select.bind_text(1, expression);
  std::size_t rows = 0;
  while (select.step() == SQLITE_ROW) {
    const std::string label = select.column(0);
    const std::string breadcrumb = select.column(1);
    sink += label.size() + breadcrumb.size();
    ++rows;
  }
  select.reset();
  return rows;
}

int cmd_query(const std::string& file, const std::string& queries_path, std::size_t passes) {
  const std::vector<std::string> queries = taxon_bench::read_queries(queries_path);
  if (!std::filesystem::exists(file)) throw std::runtime_error(file + ": no such database");
  Database db(file, SQLITE_OPEN_READONLY);
  Statement select(db, kSelect);
  std::size_t sink = 0;

  taxon_bench::QueryReport report;
  report.queries = queries.size();
  report.passes = passes;
  for (const std::string& query : queries) {  // warm-up pass, also counts hits
    const std::size_t rows = run_query(select, query, sink);
    report.hits += rows;
    if (rows == 0) ++report.zero_hit;
  }
  report.latencies.reserve(queries.size() * passes);
  const auto wall = Clock::now();
  for (std::size_t pass = 0; pass < passes; ++pass) {
    for (const std::string& query : queries) {
      const auto start = Clock::now();
      run_query(select, query, sink);
      report.latencies.push_back(seconds_since(start));
    }
  }
  report.wall_seconds = seconds_since(wall);
  print_report((std::string("sqlite-fts5 ") + sqlite3_libversion()).c_str(), report);
  std::printf("sink: %zu\n", sink);
  return 0;
}

int cmd_query1(const std::string& file, const std::string& query) {
  if (!std::filesystem::exists(file)) throw std::runtime_error(file + ": no such database");
  Database db(file, SQLITE_OPEN_READONLY);
  Statement select(db, kSelect);
  const std::string expression = match_expression(query);  // bound without a copy
  select.bind_text(1, expression);
  int rank = 0;
  while (select.step() == SQLITE_ROW) {
    std::printf("%d. %s\n   %s:%s\n", ++rank, select.column(1).c_str(), select.column(2).c_str(),
                select.column(3).c_str());
  }
  if (rank == 0) std::printf("no hits\n");
  return 0;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: taxon-bench-fts5 index DBFILE records.tsv\n"
               "       taxon-bench-fts5 query DBFILE queries.txt [PASSES]\n"
               "       taxon-bench-fts5 query1 DBFILE \"words...\"\n"
               "       taxon-bench-fts5 version\n");
  std::exit(2);
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) usage();
  const std::string& command = args[0];
  if (command == "version" && args.size() == 1) {
    std::printf("%s\n", sqlite3_libversion());
    return 0;
  }
  if (command == "index" && args.size() == 3) return cmd_index(args[1], args[2]);
  if (command == "query" && (args.size() == 3 || args.size() == 4)) {
    const std::size_t passes = args.size() == 4 ? std::stoul(args[3]) : 3;
    return cmd_query(args[1], args[2], passes == 0 ? 1 : passes);
  }
  if (command == "query1" && args.size() >= 3) {
    std::string query;
    for (std::size_t i = 2; i < args.size(); ++i) query += (i > 2 ? " " : "") + args[i];
    return cmd_query1(args[1], query);
  }
  usage();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "taxon-bench-fts5: %s\n", e.what());
    return 1;
  }
}
