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
  const std::string ascii = "Debris-Mitigation: strings.Contains x_y 42nd (don't) a.b.c";
  Words fast = a.words(ascii);
  Words icu = a.words(ascii + " é");
  icu.pop_back();
  BOOST_TEST(fast == icu);
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
