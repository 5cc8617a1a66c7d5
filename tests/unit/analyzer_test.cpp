// SPDX-License-Identifier: MIT
#include <boost/test/unit_test.hpp>

#include "taxon/analyzer.h"

using Words = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(analyzer)

BOOST_AUTO_TEST_CASE(case_and_diacritics_fold) {
  taxon::Analyzer a;
  BOOST_TEST(a.words("Café CRÈME brûlée") == (Words{"cafe", "creme", "brulee"}));
  BOOST_TEST(a.words("cafe") == Words{"cafe"});
  BOOST_TEST(a.words("Straße") == Words{"strasse"});  // case folding, not lower-casing
  BOOST_TEST(a.words("Ωμέγα") == Words{"ωμεγα"});
  BOOST_TEST(a.words("Ёлка") == Words{"елка"});
}

BOOST_AUTO_TEST_CASE(nfkc_compatibility_forms_fold) {
  taxon::Analyzer a;
  BOOST_TEST(a.words("ﬁle Ｆｕｌｌｗｉｄｔｈ") == (Words{"file", "fullwidth"}));
  // A precomposed and a decomposed é give the same word.
  BOOST_TEST(a.words("caf\xC3\xA9") == a.words("cafe\xCC\x81"));
}

BOOST_AUTO_TEST_CASE(cjk_and_thai_split_into_words) {
  taxon::Analyzer a;
  auto zh = a.words("国际空间站合作");
  BOOST_TEST(zh.size() >= 2u);
  auto ja = a.words("東京タワーの観光");
  BOOST_TEST(ja.size() >= 3u);
  auto th = a.words("การจัดการขยะอวกาศ");
  BOOST_TEST(th.size() >= 2u);
  // Thai vowel marks are kept: the words put together give the text back.
  std::string joined;
  for (const auto& w : th) joined += w;
  BOOST_TEST(joined == "การจัดการขยะอวกาศ");
}

BOOST_AUTO_TEST_CASE(punctuation_splits_words) {
  taxon::Analyzer a;
  BOOST_TEST(a.words("strings.Contains don't e-mail 3.2 snake_case") ==
             (Words{"strings", "contains", "don", "t", "e", "mail", "3", "2", "snake", "case"}));
}

BOOST_AUTO_TEST_CASE(ascii_fast_path_agrees_with_icu_path) {
  taxon::Analyzer a;
  // The same ASCII words next to a non-ASCII one take the ICU path.
  const std::string ascii =
      "Debris-Mitigation: strings.Contains x_y 42nd (don't) a.b.c ReadingTime "
      "getHTTPResponse IPv6 iOS APIs base64Encode v1.2 2024-01-15 utf-8 site.Params.foo";
  std::vector<taxon::Analyzer::Compound> fast_compounds, icu_compounds;
  Words fast = a.words(ascii, fast_compounds);
  Words icu = a.words(ascii + " é", icu_compounds);
  icu.pop_back();
  BOOST_TEST(fast == icu);
  BOOST_REQUIRE(fast_compounds.size() == icu_compounds.size());
  for (std::size_t i = 0; i < fast_compounds.size(); ++i) {
    BOOST_TEST(fast_compounds[i].first == icu_compounds[i].first);
    BOOST_TEST(fast_compounds[i].count == icu_compounds[i].count);
    BOOST_TEST(fast_compounds[i].joined == icu_compounds[i].joined);
  }
}

// The words of `text`, then "=" and the joined form of each compound.
Words split(taxon::Analyzer& a, std::string_view text) {
  std::vector<taxon::Analyzer::Compound> compounds;
  Words out = a.words(text, compounds);
  for (const auto& c : compounds) {
    std::string joined;
    for (std::size_t k = c.first; k < c.first + c.count; ++k) joined += out[k];
    BOOST_TEST(c.joined == joined);
    out.push_back("=" + c.joined);
  }
  return out;
}

BOOST_AUTO_TEST_CASE(compound_names_give_their_words_and_the_whole) {
  taxon::Analyzer a;
  BOOST_TEST(split(a, "ReadingTime") == (Words{"reading", "time", "=readingtime"}));
  BOOST_TEST(split(a, "readingTime") == (Words{"reading", "time", "=readingtime"}));
  BOOST_TEST(split(a, "getHTTPResponse") == (Words{"get", "http", "response", "=gethttpresponse"}));
  BOOST_TEST(split(a, "XMLHttpRequest") == (Words{"xml", "http", "request", "=xmlhttprequest"}));
  BOOST_TEST(split(a, "snake_case_name") == (Words{"snake", "case", "name", "=snakecasename"}));
  BOOST_TEST(split(a, "resources.Get") == (Words{"resources", "get", "=resourcesget"}));
  BOOST_TEST(split(a, "site.Params.foo") == (Words{"site", "params", "foo", "=siteparamsfoo"}));
  BOOST_TEST(split(a, "cache-busting") == (Words{"cache", "busting", "=cachebusting"}));
  BOOST_TEST(split(a, "base64Encode utf-8") ==
             (Words{"base64", "encode", "utf", "8", "=base64encode", "=utf8"}));
  // Each compound on its own, plain words between them untouched.
  BOOST_TEST(split(a, "use resources.Get for front-matter") ==
             (Words{"use", "resources", "get", "for", "front", "matter", "=resourcesget",
                    "=frontmatter"}));
  BOOST_TEST(split(a, "GitHub") == (Words{"git", "hub", "=github"}));
  // A CamelCase run inside a larger compound joins on its own too, as the
  // word it was written as; the larger compound comes first.
  BOOST_TEST(split(a, "resources.GetRemote") ==
             (Words{"resources", "get", "remote", "=resourcesgetremote", "=getremote"}));
  std::vector<taxon::Analyzer::Compound> compounds;
  const Words w = a.words("resources.GetRemote caching", compounds);
  BOOST_TEST(taxon::Analyzer::joined_words(w, compounds) ==
             (Words{"resourcesgetremote", "caching"}));
  BOOST_TEST(taxon::Analyzer::joined_words(w, compounds, true) ==
             (Words{"resources", "getremote", "caching"}));
}

BOOST_AUTO_TEST_CASE(plain_words_and_short_pieces_stay_whole) {
  taxon::Analyzer a;
  BOOST_TEST(split(a, "reading time readingtime") == (Words{"reading", "time", "readingtime"}));
  BOOST_TEST(split(a, "READING Reading") == (Words{"reading", "reading"}));
  // No word shorter than two characters is split off.
  BOOST_TEST(split(a, "IPv6 iOS OAuth getX IDs") == (Words{"ipv6", "ios", "oauth", "getx", "ids"}));
  BOOST_TEST(split(a, "APIs URLs getURLs") == (Words{"apis", "urls", "get", "urls", "=geturls"}));
  BOOST_TEST(split(a, "IPv6Address") == (Words{"ipv6", "address", "=ipv6address"}));
  // Digits on both sides of a connector are a number, not a name.
  BOOST_TEST(split(a, "3.2 2024-01-15 v1.2") == (Words{"3", "2", "2024", "01", "15", "v1", "2"}));
  // Separated by a space or by two characters, words are not a compound.
  BOOST_TEST(split(a, "cache - busting a..b") == (Words{"cache", "busting", "a", "b"}));
}

BOOST_AUTO_TEST_CASE(compounds_outside_ascii) {
  taxon::Analyzer a;
  BOOST_TEST(split(a, "ÉtéChaud") == (Words{"ete", "chaud", "=etechaud"}));
  BOOST_TEST(split(a, "ＲｅａｄｉｎｇＴｉｍｅ") == (Words{"reading", "time", "=readingtime"}));
  BOOST_TEST(split(a, "Straße-Bahn") == (Words{"strasse", "bahn", "=strassebahn"}));
  // A soft hyphen is not a break, as before.
  BOOST_TEST(split(a, "co\u00ADoperate café") == (Words{"cooperate", "cafe"}));
  // Scripts without case do not split: segmentation stays the dictionary's.
  std::vector<taxon::Analyzer::Compound> compounds;
  const Words th = a.words("การจัดการขยะอวกาศ", compounds);
  BOOST_TEST(th.size() >= 2u);
  BOOST_TEST(compounds.empty());
}

BOOST_AUTO_TEST_CASE(joined_words_join_each_compound) {
  taxon::Analyzer a;
  std::vector<taxon::Analyzer::Compound> compounds;
  const Words w = a.words("cache-busting for ReadingTime", compounds);
  BOOST_TEST(taxon::Analyzer::joined_words(w, compounds) ==
             (Words{"cachebusting", "for", "readingtime"}));
}

BOOST_AUTO_TEST_CASE(stems_are_snowball_and_cached) {
  taxon::Analyzer a("en");
  BOOST_TEST(a.stem("mitigation") == a.stem("mitigations"));
  BOOST_TEST(a.stem("running") == "run");
  BOOST_TEST(a.stem("2001") == "2001");
  taxon::Analyzer fr("fr");
  BOOST_TEST(fr.stem("nationales") == fr.stem("nationale"));
  BOOST_TEST(taxon::Analyzer::stemmer_language("en-US") == "english");
  BOOST_TEST(taxon::Analyzer::stemmer_language("xx").empty());
}

BOOST_AUTO_TEST_CASE(over_long_words_are_dropped) {
  taxon::Analyzer a;
  BOOST_TEST(a.words(std::string(200, 'x') + " ok") == Words{"ok"});
}

BOOST_AUTO_TEST_SUITE_END()
