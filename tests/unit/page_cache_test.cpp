// SPDX-License-Identifier: MIT
// The page records a Searcher keeps between searches: each as a PageRecord
// (search/page_record.h) that answers as the decoded record does, in a cache
// (search/state.h) of up to a budget of bytes, the least recently used
// dropped first, one at a time.
#include <boost/test/unit_test.hpp>

#include <string>

#include "format/schema.h"
#include "search/state.h"

using taxon::schema::PageData;
using taxon::search::PageCache;
using taxon::search::PageRecord;

namespace {

// A record of `headings` headings with labels too long to be kept inside
// their strings.
PageData record(const std::string& title, int headings) {
  PageData d;
  d.path = "/content/" + title + ".md";
  d.title = title;
  for (int i = 0; i < headings; ++i) {
    taxon::schema::OutlineEntry e;
    e.label = title + " heading number " + std::to_string(i);
    e.keywords = "keywords long enough to need their own memory";
    d.outline.push_back(e);
  }
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(page_cache)

BOOST_AUTO_TEST_CASE(footprint_grows_with_the_outline) {
  const std::size_t small = PageCache::footprint("a", PageRecord(record("a", 1)));
  const std::size_t large = PageCache::footprint("a", PageRecord(record("a", 100)));
  BOOST_TEST(small > sizeof(PageRecord));
  // Each heading takes at least its text (over 60 bytes here).
  BOOST_TEST(large - small >= 99u * 60u);
  // And less than half of what its decoded outline entry takes.
  PageData d = record("a", 100);
  std::size_t decoded = d.outline.capacity() * sizeof(taxon::schema::OutlineEntry);
  for (const auto& e : d.outline) decoded += e.label.capacity() + e.keywords.capacity() + 2;
  BOOST_TEST(large - small < decoded / 2);
}

BOOST_AUTO_TEST_CASE(least_recently_used_go_first) {
  const std::size_t one = PageCache::footprint("p0", PageRecord(record("p0", 20)));
  PageCache cache(3 * one + one / 2);  // room for three records
  for (const char* id : {"p0", "p1", "p2"}) BOOST_TEST(cache.add(id, record(id, 20)) != nullptr);
  BOOST_TEST(cache.size() == 3u);
  BOOST_TEST(cache.bytes() <= 3 * one + one / 2);
  // p0 is used again, so p1 is now the least recently used.
  const PageRecord* p0 = cache.find("p0");
  BOOST_TEST_REQUIRE(p0 != nullptr);
  BOOST_TEST(p0->info().title == "p0");
  cache.add("p3", record("p3", 20));
  BOOST_TEST(cache.size() == 3u);
  BOOST_TEST(cache.find("p1") == nullptr);
  for (const char* id : {"p0", "p2", "p3"}) BOOST_TEST(cache.find(id) != nullptr, id);
  // Found records stay where they are in memory while they are kept.
  BOOST_TEST(cache.find("p0") == p0);
}

BOOST_AUTO_TEST_CASE(a_record_over_the_budget_is_kept_alone) {
  PageCache cache(1000);
  cache.add("small", record("small", 1));
  const PageRecord* big = cache.add("big", record("big", 200));
  BOOST_TEST_REQUIRE(big != nullptr);
  BOOST_TEST(big->headings() == 200u);
  BOOST_TEST(cache.size() == 1u);
  BOOST_TEST(cache.find("small") == nullptr);
  BOOST_TEST(cache.find("big") == big);
}

BOOST_AUTO_TEST_CASE(adding_again_replaces_and_a_smaller_budget_trims) {
  const std::size_t one = PageCache::footprint("p0", PageRecord(record("p0", 20)));
  PageCache cache(10 * one);
  for (int i = 0; i < 5; ++i) {
    const std::string id = "p" + std::to_string(i);
    cache.add(id, record(id, 20));
  }
  cache.add("p2", record("new", 20));
  BOOST_TEST(cache.size() == 5u);
  BOOST_TEST(cache.find("p2")->info().title == "new");
  cache.set_budget(2 * one + one / 2);
  BOOST_TEST(cache.size() == 2u);
  BOOST_TEST(cache.find("p2") != nullptr);  // the two most recently used
  BOOST_TEST(cache.find("p4") != nullptr);
  cache.clear();
  BOOST_TEST(cache.size() == 0u);
  BOOST_TEST(cache.bytes() == 0u);
}

// A packed record answers as the decoded one: each heading, its ancestors,
// and the whole outline back.
BOOST_AUTO_TEST_CASE(a_packed_record_answers_as_the_decoded_one) {
  PageData d = record("tree", 6);
  const int parents[] = {-1, 0, 1, 1, 0, -1};
  for (std::size_t i = 0; i < d.outline.size(); ++i) {
    auto& e = d.outline[i];
    e.parent = parents[i];
    e.level = e.parent < 0 ? 1 : d.outline[static_cast<std::size_t>(e.parent)].level + 1;
    e.line = static_cast<int>(10 + i);
    e.number = i == 2 ? "1.1" : "";
    e.anchor = i == 3 ? "custom-anchor" : "";
    e.default_anchor = i != 3;
    e.shortcode = i == 4 ? "jsvis-map1" : "";
    e.last = static_cast<int>(i == 0 ? 4 : i == 1 ? 3 : i);
  }
  d.categories = {"maps"};
  d.version = 7;
  const PageData copy = d;
  const PageRecord r(std::move(d));
  BOOST_TEST(r.info().categories == copy.categories, boost::test_tools::per_element());
  BOOST_TEST(r.info().version == 7u);
  BOOST_TEST(r.info().outline.empty());
  BOOST_TEST_REQUIRE(r.headings() == copy.outline.size());
  for (int i = -1; i <= static_cast<int>(copy.outline.size()); ++i) {
    taxon::schema::HeadingData a, b;
    const bool has = taxon::schema::heading_of(copy, "id", i, a);
    BOOST_TEST(r.heading("id", i, b) == has, i);
    BOOST_TEST(r.ancestors(i) == copy.ancestors(i), boost::test_tools::per_element());
    if (!has) continue;
    BOOST_TEST(b.label == a.label);
    BOOST_TEST(b.number == a.number);
    BOOST_TEST(b.keywords == a.keywords);
    BOOST_TEST(b.anchor == a.anchor);
    BOOST_TEST(b.shortcode == a.shortcode);
    BOOST_TEST(b.level == a.level);
    BOOST_TEST(b.line == a.line);
    BOOST_TEST(b.last == a.last);
    BOOST_TEST(b.ordinal == i);
    BOOST_TEST(b.page_id == "id");
    const auto k = static_cast<std::size_t>(i);
    BOOST_TEST(r.label(k) == copy.outline[k].label);
    BOOST_TEST(r.number(k) == copy.outline[k].number);
    BOOST_TEST(r.level(k) == copy.outline[k].level);
  }
  BOOST_TEST(r.ancestors(3) == (std::vector<int>{0, 1}), boost::test_tools::per_element());
  const std::vector<taxon::schema::OutlineEntry> back = r.outline();
  BOOST_TEST_REQUIRE(back.size() == copy.outline.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    BOOST_TEST(back[i].label == copy.outline[i].label);
    BOOST_TEST(back[i].keywords == copy.outline[i].keywords);
    BOOST_TEST(back[i].anchor == copy.outline[i].anchor);
    BOOST_TEST(back[i].shortcode == copy.outline[i].shortcode);
    BOOST_TEST(back[i].parent == copy.outline[i].parent);
    BOOST_TEST(back[i].default_anchor == copy.outline[i].default_anchor);
  }
}

BOOST_AUTO_TEST_SUITE_END()
