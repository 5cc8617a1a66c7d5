// SPDX-License-Identifier: MIT
// Inputs kept in tests/regress/cases/, replayed through the real programs:
//   pages/NAME.md     indexed alone by taxon-index: it must end in time,
//                     without a crash, with exit 0 (or as NAME.expect says),
//                     and leave an index taxon-query opens;
//   queries/NAME.txt  run by taxon-query over a small index: it must end in
//                     time, without a crash, with exit 0, 1 or 2 (or as
//                     NAME.expect says). NAME.args adds options.
// NAME.expect holds lines "exit N" and "stderr TEXT" (TEXT must appear in
// what the program printed on stderr). tests/README.md says more.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../temp_dir.h"
#include "regress.h"

namespace fs = std::filesystem;
using taxon::test::kIndexBin;
using taxon::test::kQueryBin;
using taxon::test::quote;
using taxon::test::Run;
using taxon::test::run_limited;
using taxon::test::TempDir;

namespace {

const fs::path kCases = TAXON_REGRESS_CASES;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The files of `dir` ending in `ext`, by name.
std::vector<fs::path> files(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

struct Expect {
  std::optional<int> exit;
  std::vector<std::string> stderr_has;
};

// NAME.expect beside `input`, if there is one.
Expect expect_for(const fs::path& input) {
  Expect e;
  fs::path file = input;
  file.replace_extension(".expect");
  if (!fs::exists(file)) return e;
  std::istringstream in(slurp(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("exit ", 0) == 0) {
      e.exit = std::stoi(line.substr(5));
    } else if (line.rfind("stderr ", 0) == 0) {
      e.stderr_has.push_back(line.substr(7));
    } else {
      BOOST_ERROR(file.string() << ": expected 'exit N' or 'stderr TEXT', not '" << line << "'");
    }
  }
  return e;
}

// NAME.args beside `input`: options for the program, as a shell splits them.
std::string args_for(const fs::path& input) {
  fs::path file = input;
  file.replace_extension(".args");
  if (!fs::exists(file)) return "";
  std::string a = slurp(file);
  while (!a.empty() && (a.back() == '\n' || a.back() == '\r')) a.pop_back();
  return a;
}

// What every run must be: ended in time, not by a signal, not with a report
// of the sanitizers, and with an allowed exit status.
void check_run(const Run& r, const Expect& e, const std::set<int>& allowed) {
  BOOST_TEST(r.exit != taxon::test::kTimedOut, "timed out");
  BOOST_TEST(r.exit < 128, "killed by signal " << r.exit - 128 << "; stderr: " << r.err);
  BOOST_TEST(r.err.find("AddressSanitizer") == std::string::npos, r.err);
  BOOST_TEST(r.err.find("runtime error:") == std::string::npos, r.err);
  if (e.exit)
    BOOST_TEST(r.exit == *e.exit,
               "exit " << r.exit << ", expected " << *e.exit << "; stderr: " << r.err);
  else
    BOOST_TEST(allowed.count(r.exit) == 1u, "exit " << r.exit << "; stderr: " << r.err);
  for (const auto& text : e.stderr_has)
    BOOST_TEST(r.err.find(text) != std::string::npos, "'" << text << "' not in: " << r.err);
}

// Every sidecar belongs to an input of `ext` in its folder.
void no_orphans(const fs::path& dir, const std::string& ext) {
  for (const std::string side : {".expect", ".args"})
    for (const auto& f : files(dir, side)) {
      fs::path input = f;
      input.replace_extension(ext);
      BOOST_TEST(fs::exists(input), f.string() << " belongs to no " << input.filename());
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(regress_cases)

BOOST_AUTO_TEST_CASE(pages_index_without_crashing) {
  const auto pages = files(kCases / "pages", ".md");
  BOOST_TEST(!pages.empty());
  no_orphans(kCases / "pages", ".md");
  for (const auto& page : pages) {
    BOOST_TEST_CONTEXT(page.filename().string()) {
      TempDir t;
      fs::create_directories(t.path() / "content");
      fs::copy_file(page, t.path() / "content" / page.filename());
      const std::string db = (t.path() / "db").string();
      const Run r = run_limited(kIndexBin + " --jobs 1 --db " + quote(db) + " " + args_for(page) +
                                    " " + quote((t.path() / "content").string()),
                                60);
      check_run(r, expect_for(page), {0});
      // Whatever the page did, the index it leaves opens and answers.
      if (r.exit == 0 || r.exit == 1) {
        const Run q = run_limited(kQueryBin + " --db " + quote(db) + " anything", 30);
        BOOST_TEST((q.exit == 0 || q.exit == 1), "taxon-query exit " << q.exit << ": " << q.err);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(queries_end_without_crashing) {
  const auto queries = files(kCases / "queries", ".txt");
  BOOST_TEST(!queries.empty());
  no_orphans(kCases / "queries", ".txt");
  TempDir t;
  const std::string db = (t.path() / "db").string();
  const Run ix = run_limited(
      kIndexBin + " --quiet --jobs 1 --db " + quote(db) + " " + quote(TAXON_SMALL_SITE), 60);
  BOOST_REQUIRE_MESSAGE(ix.exit == 0, "indexing " TAXON_SMALL_SITE " failed: " + ix.err);
  for (const auto& file : queries) {
    BOOST_TEST_CONTEXT(file.filename().string()) {
      std::string q = slurp(file);
      if (!q.empty() && q.back() == '\n') q.pop_back();
      const Run r = run_limited(
          kQueryBin + " --db " + quote(db) + " --no-config " + args_for(file) + " -- " + quote(q),
          30);
      check_run(r, expect_for(file), {0, 1, 2});
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
