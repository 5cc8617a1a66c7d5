// SPDX-License-Identifier: MIT
// Every taxon-query option, through the real program on data/.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "process.h"

using taxon::test::quote;
using taxon::test::run;
using taxon::test::TempDir;

namespace {

struct Data {
  TempDir t;
  std::string db;
  Data() {
    db = (t.path() / ".taxon").string();
    t.write("synonyms.txt", "# space debris, in other words\ndebris, orbital junk, wreckage\n");
    auto r = run(std::string(TAXON_INDEX_BIN) + " --quiet --synonyms " +
                 quote((t.path() / "synonyms.txt").string()) + " --db " + quote(db) + " " +
                 quote(TAXON_DATA_DIR));
    BOOST_REQUIRE_MESSAGE(r.exit == 0, "indexing data/ failed: " + r.err);
  }
};

const Data& data() {
  static Data d;
  return d;
}

taxon::test::Run q(const std::string& args, const std::string& env = "NO_COLOR=1") {
  return run(env + " " + TAXON_QUERY_BIN + " --db " + quote(data().db) + " " + args);
}

nlohmann::json qj(const std::string& args) {
  return nlohmann::json::parse(q("--json " + args).out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_query_options)

// Scripting: NUL-ended records, page paths only, the query from stdin, and a
// batch of queries answered by one process.
BOOST_AUTO_TEST_CASE(text0_files_stdin_and_batch) {
  const std::string bin = std::string(TAXON_QUERY_BIN) + " --db " + quote(data().db);
  // -0: each hit's TSV fields ended by NUL, no newline.
  auto r = q("-0 -n 3 space");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\0') == 3);
  BOOST_TEST(r.out.find('\n') == std::string::npos);
  BOOST_TEST(r.out.find("\tspace\t") != std::string::npos);
  BOOST_TEST(q("--format text0 -n 3 space").out == r.out);
  // --output files: each page once, by its best hit.
  r = q("--output files -n 50 debris");
  BOOST_TEST(r.exit == 0);
  std::istringstream lines(r.out);
  std::set<std::string> seen;
  std::string line;
  while (std::getline(lines, line)) {
    BOOST_TEST(line.size() > 3);
    BOOST_TEST(line.compare(line.size() - 3, 3, ".md") == 0, line);
    BOOST_TEST(seen.insert(line).second, line << " twice");
  }
  BOOST_TEST(seen.count(std::string(TAXON_DATA_DIR) + "/maps/stakeholders/international-entities/"
                                                      "international-space-consortium.md") == 1u);
  const auto nul = q("--output files -0 -n 50 debris").out;
  BOOST_TEST(std::count(nul.begin(), nul.end(), '\0') == static_cast<long>(seen.size()));
  // The query from stdin: piped with no query, or as "-".
  r = run("(printf 'debris\\nmitigation\\n' | NO_COLOR=1 " + bin + " --json)");
  BOOST_TEST_REQUIRE(r.exit == 0, r.err);
  BOOST_TEST(nlohmann::json::parse(r.out)["hits"][0]["label"] == "Debris Mitigation");
  r = run("(echo 'debris mitigation' | " + bin + " --json -)");
  BOOST_TEST(nlohmann::json::parse(r.out)["hits"][0]["label"] == "Debris Mitigation");
  r = run(bin + " -");  // stdin is /dev/null: no query at all
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err.find("no query given") != std::string::npos);
  // --batch: one JSON line a query, in order; a malformed one says why.
  r = run("(printf 'debris mitigation\\ndebris AND (\\n\\nzzqqxxnothing\\n' | " + bin +
          " --batch --all)");
  BOOST_TEST(r.exit == 0, r.err);
  std::istringstream out(r.out);
  std::vector<nlohmann::json> docs;
  while (std::getline(out, line)) docs.push_back(nlohmann::json::parse(line));
  BOOST_TEST_REQUIRE(docs.size() == 3u);
  BOOST_TEST(docs[0]["hits"][0]["label"] == "Debris Mitigation");
  BOOST_TEST(docs[1]["query"] == "debris AND (");
  BOOST_TEST(docs[1]["error"].get<std::string>().find("malformed") != std::string::npos);
  BOOST_TEST(docs[2]["hits"].empty());
  r = run("(printf 'zzqqxxnothing\\n' | " + bin + " --batch --all)");
  BOOST_TEST(r.exit == 1);
}

BOOST_AUTO_TEST_CASE(any_widens_and_offset_pages) {
  auto all = qj("--limit 50 debris mitigation");
  auto any = qj("--any --limit 50 debris mitigation");
  BOOST_TEST(any["estimated_total"].get<int>() > all["estimated_total"].get<int>());
  auto first = qj("--limit 2 consortium");
  auto second = qj("--limit 1 --offset 1 consortium");
  BOOST_TEST(second["hits"][0]["label"] == first["hits"][1]["label"]);
  BOOST_TEST(second["hits"][0]["rank"] == 2);
}

BOOST_AUTO_TEST_CASE(prefixes_and_partial_words) {
  auto star = qj("'situational awa*'");
  BOOST_REQUIRE(!star["hits"].empty());
  BOOST_TEST(star["hits"][0]["label"] == "Space Situational Awareness");
  auto partial = qj("--partial 'situational awa'");
  BOOST_REQUIRE(!partial["hits"].empty());
  BOOST_TEST(partial["hits"][0]["label"] == "Space Situational Awareness");
  // "awa" is a word of the index, so it is completed only when the query
  // finds nothing as typed; --no-partial never completes.
  auto typed = q("--no-spelling 'situational awa'");
  BOOST_TEST(typed.exit == 0);
  BOOST_TEST(typed.err.find("completed: awa \u2192 ") == 0, typed.err);
  BOOST_TEST(typed.out.find("Space Situational Awareness") == 0);
  BOOST_TEST(q("--no-spelling --no-partial --all 'situational awa'").exit == 1);
}

BOOST_AUTO_TEST_CASE(group_keeps_the_best_hit_per_page_or_branch) {
  auto plain = qj("--limit 100 consortium");
  auto by_page = qj("--limit 100 --group page consortium");
  BOOST_REQUIRE(by_page["hits"].size() >= 1u);
  BOOST_TEST(by_page["hits"].size() < plain["hits"].size());
  std::set<std::string> paths;
  for (const auto& h : by_page["hits"])
    BOOST_TEST(paths.insert(h["path"].get<std::string>()).second);
  BOOST_TEST(by_page["hits"][0]["collapsed"].get<int>() > 0);
  auto by_branch = qj("--limit 100 --group branch consortium");
  BOOST_TEST(by_branch["hits"].size() > by_page["hits"].size());
  BOOST_TEST(by_branch["hits"].size() < plain["hits"].size());
  auto text = q("--group page consortium");
  BOOST_TEST(text.out.find("more)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(facets_count_categories_tags_and_pages) {
  auto j = qj("--facets --limit 1 water");
  BOOST_REQUIRE(j.contains("facets"));
  for (const char* f : {"category", "tag", "page"})
    BOOST_TEST(!j["facets"][f].empty(), "no " << f << " facet");
  std::size_t total = 0;
  for (const auto& c : j["facets"]["page"]) total += c["count"].get<std::size_t>();
  BOOST_TEST(total == j["estimated_total"].get<std::size_t>());
  auto text = q("--facets water");
  BOOST_TEST(text.out.find("\ncategory: ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(count_prints_only_the_number) {
  auto c = q("--count consortium");
  BOOST_TEST(c.exit == 0);
  auto j = qj("--limit 1000 consortium");
  BOOST_TEST(c.out == std::to_string(j["hits"].size()) + "\n");
  auto none = q("--count zzzqqqxxx");
  BOOST_TEST(none.exit == 1);
  BOOST_TEST(none.out == "0\n");
}

BOOST_AUTO_TEST_CASE(links_use_permalinks_anchors_and_base_url) {
  auto j = qj("--base-url https://example.org/ --limit 1 debris mitigation");
  BOOST_TEST(
      j["hits"][0]["url"] ==
      "https://example.org/maps/stakeholders/international-entities/international-space-consortium/"
      "#debris-mitigation-consortium-space-debris-mitigation-cleanup-initiatives");
  auto hugo = qj("--limit 1 'page:hugo-modules/_index.md'");
  BOOST_REQUIRE(!hugo["hits"].empty());
  BOOST_TEST(hugo["hits"][0]["url"].get<std::string>().rfind("/hugo-modules/", 0) == 0);
}

BOOST_AUTO_TEST_CASE(explain_prints_the_xapian_query) {
  auto r = q("--explain debris");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.err.find("query: Query(") != std::string::npos);
  BOOST_TEST(r.err.find("Zdebri") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(colour_follows_the_flag_and_no_color) {
  BOOST_TEST(q("--color always debris mitigation", "").out.find("\033[") != std::string::npos);
  BOOST_TEST(q("--color never debris mitigation", "").out.find("\033[") == std::string::npos);
  // Not a terminal: auto means no colour.
  BOOST_TEST(q("debris mitigation", "").out.find("\033[") == std::string::npos);
  // The query words are highlighted in the label.
  BOOST_TEST(q("--color always debris", "").out.find("\033[1;33mDebris") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tsv_has_one_line_per_hit_and_nine_columns) {
  auto r = q("--format tsv --limit 3 consortium");
  std::istringstream in(r.out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    BOOST_TEST(std::count(line.begin(), line.end(), '\t') == 8);
  }
  BOOST_TEST(lines == 3);
}

BOOST_AUTO_TEST_CASE(tree_prints_shared_ancestors_once) {
  auto r = q("--tree --limit 20 under:3.2 consortium");
  BOOST_TEST(r.exit == 0);
  const std::string& out = r.out;
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = out.find(s); p != std::string::npos; p = out.find(s, p + 1)) ++n;
    return n;
  };
  BOOST_TEST(count("International Space Consortium\n") == 1u);
  BOOST_TEST(count("    3. Strategic Objectives\n") == 1u);
  BOOST_TEST(out.find("        Debris Mitigation  [") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(misspelling_prints_did_you_mean) {
  auto r = q("debirs mitigation");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.err.find("did you mean: debris mitigation") == 0);
  BOOST_TEST(r.out.find("Debris Mitigation") == 0);
  BOOST_TEST(q("--no-spelling --all debirs mitigation").exit == 1);
}

BOOST_AUTO_TEST_CASE(synonyms_expand_queries) {
  auto r = qj("--limit 50 wreckage");
  bool found = false;
  for (const auto& h : r["hits"]) found |= h["label"] == "Debris Mitigation";
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_SUITE_END()
