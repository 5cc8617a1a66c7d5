// SPDX-License-Identifier: MIT
// Queries as people type them, through the real taxon-query: a word still
// being typed, small words, other languages, words split differently,
// synonyms that are phrases, and totals that do not depend on the page size.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "process.h"

using taxon::test::quote;
using taxon::test::run;
using taxon::test::TempDir;

namespace {

// data/ plus a few pages in French and German, and a synonym file whose
// groups map words to phrases.
struct Site {
  TempDir t;
  std::string db;
  Site() {
    db = (t.path() / ".taxon").string();
    t.write("extra/fr/deploiement.fr.md",
            "---\ntitle: Déploiement\n---\n# Déploiement continu; hébergement serveurs\n"
            "## Hébergement statique; publier un site\n## Le café des développeurs; boissons\n");
    t.write("extra/de/content/de/kaffee.md",
            "---\ntitle: Kaffeehaus\nlang: de\n---\n# Kaffeehäuser; Wiener Kaffeehauskultur\n"
            "## Die Zubereitung; Mahlen und Brühen\n");
    // The English stem of "volcanology" is the French stem of "volcanologie".
    t.write("extra/sciences/earth.md",
            "---\ntitle: Earth\n---\n# Earth Sciences; rocks minerals volcanology\n");
    t.write("extra/sciences/sciences.fr.md",
            "---\ntitle: Sciences\n---\n# Volcanologie; volcans et laves\n");
    t.write("extra/atlas/maps.md",
            "---\ntitle: Atlas\n---\n# Cartographic Projections; mercator conic azimuthal\n");
    t.write("synonyms.txt", "frontmatter, front matter\nsettingsblock, front matter\n");
    auto r = run(std::string(TAXON_INDEX_BIN) + " --quiet --synonyms " +
                 quote((t.path() / "synonyms.txt").string()) + " --db " + quote(db) + " " +
                 quote(TAXON_DATA_DIR) + " " + quote((t.path() / "extra").string()));
    BOOST_REQUIRE_MESSAGE(r.exit == 0, "indexing failed: " + r.err);
  }
};

const Site& site() {
  static Site s;
  return s;
}

taxon::test::Run q(const std::string& args) {
  return run("NO_COLOR=1 " + std::string(TAXON_QUERY_BIN) + " --db " + quote(site().db) + " " +
             args);
}

nlohmann::json qj(const std::string& args) {
  auto r = q("--json " + args);
  BOOST_REQUIRE_MESSAGE(!r.out.empty(), "no JSON: " + r.err);
  return nlohmann::json::parse(r.out);
}

std::string first_label(const nlohmann::json& j) {
  return j["hits"].empty() ? std::string("(no hits)") : j["hits"][0]["label"].get<std::string>();
}

// Whether one of the first `n` hits has this label.
bool in_top(const nlohmann::json& j, const std::string& label, std::size_t n) {
  for (std::size_t i = 0; i < n && i < j["hits"].size(); ++i)
    if (j["hits"][i]["label"] == label) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_typing)

BOOST_AUTO_TEST_CASE(a_word_still_being_typed_is_completed) {
  auto r = q("'debris miti'");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.out.find("Debris Mitigation") == 0, r.out);
  BOOST_TEST(r.err.find("completed: miti \u2192 mitigation") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("did you mean") == std::string::npos, r.err);

  auto s = qj("shortc");
  BOOST_TEST(first_label(s).find("hortcode") != std::string::npos, first_label(s));
  BOOST_TEST(s["completed"]["from"] == "shortc");
  BOOST_TEST(s["completed"]["to"] == "shortcode");

  // A word that starts known words is completed, not corrected to a short one.
  auto t = qj("--partial taxo");
  BOOST_TEST(t["corrected"].is_null(), t["corrected"].dump());
  BOOST_TEST(t["completed"]["from"] == "taxo");
  BOOST_TEST(first_label(t).find("axonom") != std::string::npos, first_label(t));

  // --no-partial turns it off.
  auto off = qj("--no-partial --no-spelling --all 'debris miti'");
  BOOST_TEST(off["hits"].empty());
  BOOST_TEST(off["completed"].is_null());
}

BOOST_AUTO_TEST_CASE(whole_words_rank_above_completions) {
  // "art" is a word: "art" labels come before "article", "artist".
  auto j = qj("--limit 3 art");
  BOOST_REQUIRE(!j["hits"].empty());
  const std::string label = first_label(j);
  BOOST_TEST((label == "art" || label == "Art" || label.find("art ") == 0 ||
              label.find(" art") != std::string::npos),
             label);
  BOOST_TEST(j["completed"].is_null());
}

BOOST_AUTO_TEST_CASE(small_words_need_not_match) {
  auto win = qj("'install on windows'");
  BOOST_TEST(in_top(win, "Windows", 3), win["hits"].dump().substr(0, 300));
  auto net = qj("'deploy netlify'");
  BOOST_TEST(in_top(net, "Host on Netlify", 3), net["hits"].dump().substr(0, 300));
  // A quoted phrase keeps its small words.
  auto quoted = qj("'\"host on netlify\"'");
  BOOST_TEST(first_label(quoted) == "Host on Netlify");
  auto wrong = qj("--all '\"host in netlify\"'");
  BOOST_TEST(wrong["hits"].empty());
  // --all: every word must match, nothing else is tried.
  BOOST_TEST(q("--all 'install on windows'").exit == 1);
}

BOOST_AUTO_TEST_CASE(most_words_when_no_heading_has_all) {
  auto r = q("'debris mitigation zebra'");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.err.find("no heading has all the words; showing headings with most of them") !=
                 std::string::npos,
             r.err);
  BOOST_TEST(r.out.find("Debris Mitigation") == 0, r.out.substr(0, 200));
  auto j = qj("'debris mitigation zebra'");
  BOOST_TEST(j["matched"] == "most");
  BOOST_TEST(j["steps"].back() == "most words");
}

// No heading has "cartography"; one has its derivation "cartographic" and
// "projections", and a WordNet heading is "projection" alone. Every word
// through a related form comes before some of the words as typed.
BOOST_AUTO_TEST_CASE(derivations_meet_before_words_are_dropped) {
  auto j = qj("--no-spelling 'cartography projection'");
  BOOST_TEST(first_label(j) == "Cartographic Projections");
  BOOST_TEST(j["related_forms"] == true);
  BOOST_TEST(j["steps"].back() == "widened");
  BOOST_TEST(j["matched"] != "most");
}

BOOST_AUTO_TEST_CASE(words_are_stemmed_in_every_language_of_the_index) {
  for (const char* typed : {"déploiement", "deploiement", "hébergement", "hebergement"}) {
    auto j = qj(quote(typed));
    const std::string label = first_label(j);
    const bool found = label.find("ploiement") != std::string::npos ||
                       label.find("bergement") != std::string::npos;
    BOOST_TEST(found, typed << ": " << label);
  }
  auto cafe = qj("'lang:fr café'");
  BOOST_TEST(first_label(cafe) == "Le café des développeurs");
  auto languages = qj("deploiement")["languages"];
  BOOST_TEST(languages.dump().find("french") != std::string::npos, languages.dump());
  BOOST_TEST(languages.dump().find("german") != std::string::npos, languages.dump());
  // A German plural finds the singular through the German stemmer, with or
  // without the umlaut.
  BOOST_TEST(first_label(qj("kaffeehaus")) == "Kaffeehäuser");
  BOOST_TEST(first_label(qj("'lang:de zubereitungen'")) == "Die Zubereitung");
}

// The indexer stems a page in a language without a stemmer in the index's
// default language (--lang); with a default that has none either (ja), its
// words are not stemmed, and neither are the query's.
BOOST_AUTO_TEST_CASE(pages_without_a_stemmer_are_searched_as_they_were_stemmed) {
  TempDir t;
  t.write("c/shoes.md", "---\ntitle: Shoes\n---\n# 靴; shoes\n## Trail running; mountain paths\n");
  const std::string db = (t.path() / "db").string();
  auto r = run(std::string(TAXON_INDEX_BIN) + " --quiet --lang ja --db " + quote(db) + " " +
               quote((t.path() / "c").string()));
  BOOST_REQUIRE_MESSAGE(r.exit == 0, r.err);
  r = run(std::string(TAXON_QUERY_BIN) + " --json --db " + quote(db) + " running");
  BOOST_REQUIRE_MESSAGE(!r.out.empty(), r.err);
  const auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(first_label(j) == "Trail running");
  BOOST_TEST(j["languages"] == nlohmann::json::array({"none"}));
}

BOOST_AUTO_TEST_CASE(a_stem_in_the_pages_own_language_outranks_another_languages) {
  // "volcanology" stems to volcanolog in English, as the French page's
  // "Volcanologie" does in French; the French stem of "volcanology" is
  // volcanology. The English page, which holds the word only in its keyword
  // phrase, comes first; the French label is still found.
  auto j = qj("--limit 3 volcanology");
  BOOST_TEST(first_label(j) == "Earth Sciences", j["hits"].dump().substr(0, 300));
  BOOST_TEST(in_top(j, "Volcanologie", 3));
  // Typed in French, the French page comes first.
  BOOST_TEST(first_label(qj("--limit 3 volcanologie")) == "Volcanologie");
}

BOOST_AUTO_TEST_CASE(synonyms_map_words_to_phrases_both_ways) {
  auto word = qj("--limit 5 frontmatter");
  BOOST_TEST(in_top(word, "Front matter", 5), word["hits"].dump().substr(0, 300));
  // A word that is no word of the pages, nor two of them written together:
  // only its synonym, a phrase, can find the heading.
  auto only = qj("--limit 5 --no-spelling --no-partial settingsblock");
  BOOST_TEST(in_top(only, "Front matter", 5), only["hits"].dump().substr(0, 300));
  auto phrase = qj("--limit 5 'front matter'");
  BOOST_TEST(in_top(phrase, "Front matter", 5));
}

BOOST_AUTO_TEST_CASE(two_words_written_together_are_found_apart) {
  auto j = qj("--limit 3 debrismitigation");
  BOOST_TEST(first_label(j) == "Debris Mitigation");
  auto camel = qj("--limit 3 'reading time'");
  BOOST_TEST(first_label(camel) == "ReadingTime");
  auto joined = qj("--limit 3 readingtime");
  BOOST_TEST(first_label(joined) == "ReadingTime");
}

BOOST_AUTO_TEST_CASE(totals_do_not_depend_on_the_page_size) {
  const auto count = q("--count 'render hooks'").out;
  auto one = qj("--limit 1 'render hooks'");
  auto ten = qj("--limit 10 'render hooks'");
  BOOST_TEST(std::to_string(one["estimated_total"].get<std::size_t>()) + "\n" == count);
  BOOST_TEST(one["estimated_total"] == ten["estimated_total"]);
  BOOST_TEST(one["total_is_exact"] == true);
  auto text = q("--limit 1 'render hooks'");
  BOOST_TEST(text.out.find("\n1\u20131 of " + count.substr(0, count.size() - 1) + "\n") !=
                 std::string::npos,
             text.out);
}

BOOST_AUTO_TEST_SUITE_END()
