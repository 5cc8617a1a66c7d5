// SPDX-License-Identifier: MIT
// The page records a Searcher keeps between searches (search/state.h): up to
// a budget of bytes, the least recently used dropped first, one at a time.
#include <boost/test/unit_test.hpp>

#include <string>

#include "format/schema.h"
#include "search/state.h"

using taxon::schema::PageData;
using taxon::search::PageCache;

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
  const std::size_t small = PageCache::footprint("a", record("a", 1));
  const std::size_t large = PageCache::footprint("a", record("a", 100));
  BOOST_TEST(small > sizeof(PageData));
  // Each heading takes its entry and the heap of its long strings.
  BOOST_TEST(large - small >= 99 * (sizeof(taxon::schema::OutlineEntry) + 60));
}

BOOST_AUTO_TEST_CASE(least_recently_used_go_first) {
  const std::size_t one = PageCache::footprint("p0", record("p0", 20));
  PageCache cache(3 * one + one / 2);  // room for three records
  for (const char* id : {"p0", "p1", "p2"}) BOOST_TEST(cache.add(id, record(id, 20)) != nullptr);
  BOOST_TEST(cache.size() == 3u);
  BOOST_TEST(cache.bytes() <= 3 * one + one / 2);
  // p0 is used again, so p1 is now the least recently used.
  const PageData* p0 = cache.find("p0");
  BOOST_TEST_REQUIRE(p0 != nullptr);
  BOOST_TEST(p0->title == "p0");
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
  const PageData* big = cache.add("big", record("big", 200));
  BOOST_TEST_REQUIRE(big != nullptr);
  BOOST_TEST(big->outline.size() == 200u);
  BOOST_TEST(cache.size() == 1u);
  BOOST_TEST(cache.find("small") == nullptr);
  BOOST_TEST(cache.find("big") == big);
}

BOOST_AUTO_TEST_CASE(adding_again_replaces_and_a_smaller_budget_trims) {
  const std::size_t one = PageCache::footprint("p0", record("p0", 20));
  PageCache cache(10 * one);
  for (int i = 0; i < 5; ++i) {
    const std::string id = "p" + std::to_string(i);
    cache.add(id, record(id, 20));
  }
  cache.add("p2", record("new", 20));
  BOOST_TEST(cache.size() == 5u);
  BOOST_TEST(cache.find("p2")->title == "new");
  cache.set_budget(2 * one + one / 2);
  BOOST_TEST(cache.size() == 2u);
  BOOST_TEST(cache.find("p2") != nullptr);  // the two most recently used
  BOOST_TEST(cache.find("p4") != nullptr);
  cache.clear();
  BOOST_TEST(cache.size() == 0u);
  BOOST_TEST(cache.bytes() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
