// SPDX-License-Identifier: MIT
// Searcher::outline: a page's headings in page order, found by permalink or path.
#include <boost/test/unit_test.hpp>

#include <functional>

#include "../temp_dir.h"
#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/searcher.h"

using taxon::test::TempDir;

namespace {

const char* kPage =
    "---\ntitle: \"Space\"\n---\n"
    "# Space Consortium; space consortium collaboration\n"
    "## 3. Strategic Objectives; strategic goals\n"
    "### 3.2 Security Interests; space security protection interests\n"
    "#### Debris Mitigation; space debris mitigation cleanup\n"
    "### 3.3 Economic Development; commercial growth\n"
    "## Notes {#own-notes}\n";

struct Indexed {
  TempDir t;
  std::filesystem::path db;
  Indexed() {
    t.write("content/maps/space.md", kPage);
    t.write("content/other/space.md", "# Elsewhere; other words\n");
    taxon::IndexOptions o;
    o.db = db = t.path() / ".taxon";
    taxon::Indexer(o).index({t.path() / "content"});
  }
};

// The name of the error code `f` throws, "" when it throws none.
std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const taxon::Error& e) {
    return taxon::to_string(e.code());
  }
  return "";
}

std::string name(taxon::ErrorCode c) { return taxon::to_string(c); }

}  // namespace

BOOST_AUTO_TEST_SUITE(outline)

BOOST_AUTO_TEST_CASE(headings_come_in_page_order_with_the_links_search_gives) {
  Indexed x;
  taxon::Searcher s(x.db);
  taxon::SearchOptions so;
  so.base_url = "https://example.org/";
  const taxon::SearchResult r = s.search("debris mitigation", so);
  BOOST_TEST_REQUIRE(r.hits.size() == 1u);
  const taxon::Hit& hit = r.hits[0];
  const std::string page_url = hit.url.substr(0, hit.url.find('#'));

  const taxon::PageOutline o = s.outline(page_url, so.base_url);
  BOOST_TEST(o.title == "Space");
  BOOST_TEST(o.url == page_url);
  BOOST_TEST_REQUIRE(o.headings.size() == 6u);
  std::vector<std::string> labels;
  for (const auto& h : o.headings) labels.push_back(h.label);
  const std::vector<std::string> want = {"Space Consortium",     "Strategic Objectives",
                                         "Security Interests",   "Debris Mitigation",
                                         "Economic Development", "Notes"};
  BOOST_TEST(labels == want, boost::test_tools::per_element());
  for (std::size_t i = 0; i < o.headings.size(); ++i)
    BOOST_TEST(o.headings[i].ordinal > (i == 0 ? -1 : o.headings[i - 1].ordinal));
  const taxon::Hit& debris = o.headings[3];
  BOOST_TEST(debris.url == hit.url);
  BOOST_TEST(debris.anchor == hit.anchor);
  BOOST_TEST(debris.level == 4);
  BOOST_TEST(debris.breadcrumb() == hit.breadcrumb());
  BOOST_TEST(o.headings[5].anchor == "own-notes");
  BOOST_TEST(o.headings[5].ancestors.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_page_is_found_by_permalink_without_base_or_by_path_end) {
  Indexed x;
  taxon::Searcher s(x.db);
  const std::string permalink = s.outline("maps/space.md").url;
  BOOST_TEST(!permalink.empty());
  BOOST_TEST(s.outline(permalink).headings.size() == 6u);
  BOOST_TEST(s.outline("https://example.org" + permalink, "https://example.org").url ==
             "https://example.org" + permalink);
  BOOST_TEST(s.outline((x.t.path() / "content/other/space.md").string()).headings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_and_ambiguous_pages_are_errors) {
  Indexed x;
  taxon::Searcher s(x.db);
  BOOST_TEST(code_of([&] { s.outline("/no/such/page/"); }) == name(taxon::ErrorCode::NotFound));
  BOOST_TEST(code_of([&] { s.outline("ace.md"); }) == name(taxon::ErrorCode::NotFound));
  BOOST_TEST(code_of([&] { s.outline("space.md"); }) == name(taxon::ErrorCode::InvalidArgument));
  BOOST_TEST(code_of([&] { s.outline(""); }) == name(taxon::ErrorCode::InvalidArgument));
}

BOOST_AUTO_TEST_SUITE_END()
