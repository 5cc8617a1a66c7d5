// SPDX-License-Identifier: MIT
// The library end to end: Indexer writes, Searcher reads, on small folders.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>

#include "../temp_dir.h"
#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/searcher.h"

using taxon::test::TempDir;

namespace {

const char* kMap =
    "---\ntitle: \"Space\"\ncategory: \"stakeholders\"\ntag: \"International Entities\"\n---\n"
    "{{< jsvis-map1 >}}\n"
    "# Space Consortium; space consortium collaboration\n"
    "## 3. Strategic Objectives; strategic goals\n"
    "### 3.2 Security Interests; space security protection interests\n"
    "#### Debris Mitigation; space debris mitigation cleanup\n"
    "#### Critical Infrastructure; critical infrastructure resilience\n"
    "### 3.3 Economic Development; commercial growth\n"
    "#### Market Access; fair competition mitigated\n"
    "{{< /jsvis-map1 >}}\n";

taxon::IndexOptions options_for(const TempDir& t) {
  taxon::IndexOptions o;
  o.db = t.path() / ".taxon";
  o.jobs = 2;
  return o;
}

// t's folder c indexed with options_for(t), and the index opened.
taxon::Searcher indexed(const TempDir& t) {
  const taxon::IndexOptions o = options_for(t);
  taxon::Indexer(o).index({t.path() / "c"});
  return taxon::Searcher(o.db);
}

std::vector<std::string> top_labels(const taxon::SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.label);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(indexer)

BOOST_AUTO_TEST_CASE(indexes_and_reruns_incrementally) {
  TempDir t;
  t.write("content/a.md", kMap);
  t.write("content/b.md", "# Other; unrelated words\n");
  auto o = options_for(t);
  {
    taxon::Indexer ix(o);
    auto s = ix.index({t.path() / "content"});
    BOOST_TEST(s.added == 2u);
    BOOST_TEST(s.headings == 8u);
    BOOST_TEST(s.wrote);
  }
  {
    taxon::Indexer ix(o);
    auto s = ix.index({t.path() / "content"});
    BOOST_TEST(s.unchanged == 2u);
    BOOST_TEST(!s.wrote);
  }
  t.write("content/b.md", "# Changed; different words now\n## Child\n");
  std::filesystem::remove(t.path() / "content/a.md");
  {
    taxon::Indexer ix(o);
    auto s = ix.index({t.path() / "content"});
    BOOST_TEST(s.updated == 1u);
    BOOST_TEST(s.removed == 1u);
  }
  taxon::Searcher s(o.db);
  BOOST_TEST(s.size() == 2u);
  BOOST_TEST(s.search("debris").hits.empty());
  BOOST_TEST(s.search("different").hits.size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_files_are_reported_and_skipped) {
  TempDir t;
  t.write("c/good.md", kMap);
  t.write("c/bad.md", "# fine\n\xFF\xFE\n");
  t.write("c/broken.md", "---\ntitle: x\n");
  auto o = options_for(t);
  taxon::Indexer ix(o);
  std::vector<taxon::Diagnostic> diags;
  auto s = ix.index({t.path() / "c"}, {}, [&](const taxon::Diagnostic& d) { diags.push_back(d); });
  BOOST_TEST(s.added == 1u);
  BOOST_TEST(s.skipped == 2u);
  BOOST_REQUIRE_EQUAL(diags.size(), 2u);
  for (const auto& d : diags) BOOST_TEST(d.line >= 1);
}

BOOST_AUTO_TEST_CASE(second_writer_is_refused_while_locked) {
  TempDir t;
  auto o = options_for(t);
  taxon::Indexer first(o);
  try {
    taxon::Indexer second(o);
    BOOST_FAIL("a second writer opened a locked index");
  } catch (const taxon::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(taxon::ErrorCode::IndexLocked));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(searcher)

struct Fixture {
  TempDir t;
  std::filesystem::path db;
  Fixture() {
    t.write("content/maps/space.md", kMap);
    t.write("content/maps/cafe.md",
            "---\ntitle: Café\ntags: [food]\n---\n# Café Culture; espresso crème\n");
    t.write("content/maps/zh.md", "---\ntitle: 中文\nlang: zh\n---\n# 国际空间站; 空间站合作\n");
    auto o = options_for(t);
    taxon::Indexer ix(o);
    ix.index({t.path() / "content"});
    db = o.db;
  }
};

BOOST_FIXTURE_TEST_CASE(label_match_ranks_first_with_breadcrumb, Fixture) {
  taxon::Searcher s(db);
  auto r = s.search("debris mitigation");
  BOOST_REQUIRE(!r.hits.empty());
  BOOST_TEST(r.hits[0].label == "Debris Mitigation");
  BOOST_TEST(r.hits[0].breadcrumb() ==
             "Space Consortium \u203a 3. Strategic Objectives \u203a 3.2 Security Interests");
  BOOST_TEST(r.hits[0].line == 10);
  BOOST_TEST(r.hits[0].url == "/maps/space/#debris-mitigation-space-debris-mitigation-cleanup");
}

BOOST_FIXTURE_TEST_CASE(branch_heading_ranks_above_its_children, Fixture) {
  taxon::Searcher s(db);
  auto r = s.search("security interests");
  BOOST_REQUIRE(r.hits.size() >= 2u);
  BOOST_TEST(r.hits[0].label == "Security Interests");
  BOOST_TEST(r.hits[0].number == "3.2");
}

BOOST_FIXTURE_TEST_CASE(ancestor_words_lift_topics_under_the_branch, Fixture) {
  taxon::Searcher s(db);
  auto r = s.search("security debris");
  BOOST_REQUIRE(!r.hits.empty());
  BOOST_TEST(r.hits[0].label == "Debris Mitigation");
}

// Exact forms against stems inside labels: exact_label_words_outrank_stems_in_labels.
BOOST_FIXTURE_TEST_CASE(label_words_outrank_keyword_stems, Fixture) {
  taxon::Searcher s(db);
  auto r = s.search("mitigation");
  BOOST_REQUIRE(r.hits.size() >= 2u);
  BOOST_TEST(r.hits[0].label == "Debris Mitigation");
  BOOST_TEST(top_labels(r)[1] == "Market Access");  // "mitigated": a stem match
}

BOOST_AUTO_TEST_CASE(exact_label_words_outrank_stems_in_labels) {
  TempDir t;
  t.write("c/a.md", "# Root\n## Mitigated Risks; plans\n## Mitigation Plans; risks\n");
  taxon::Searcher s = indexed(t);
  auto a = s.search("mitigation");
  BOOST_REQUIRE(a.hits.size() == 2u);
  BOOST_TEST(a.hits[0].label == "Mitigation Plans");
  auto b = s.search("mitigated");
  BOOST_REQUIRE(b.hits.size() == 2u);
  BOOST_TEST(b.hits[0].label == "Mitigated Risks");
}

BOOST_FIXTURE_TEST_CASE(phrases_and_boolean_operators, Fixture) {
  taxon::Searcher s(db);
  BOOST_TEST(top_labels(s.search("\"debris mitigation\"")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(s.search("\"mitigation debris\"").hits.empty());
  // The index keeps no positions: phrases, NEAR and ADJ are checked against
  // the stored label and keyword phrase, as positions would have answered.
  BOOST_TEST(top_labels(s.search("\"space debris\"")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(s.search("\"mitigation space\"").hits.empty());  // not across label and phrase
  BOOST_TEST(s.search("\"debris debris\"").hits.empty());
  BOOST_TEST(top_labels(s.search("space NEAR/3 cleanup")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(top_labels(s.search("cleanup NEAR/3 space")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(s.search("space NEAR/2 cleanup").hits.empty());
  BOOST_TEST(top_labels(s.search("space ADJ/3 cleanup")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(s.search("cleanup ADJ/3 space").hits.empty());
  auto without = top_labels(s.search("space -\"space debris\""));
  BOOST_TEST(!without.empty());
  BOOST_TEST(std::count(without.begin(), without.end(), "Debris Mitigation") == 0);
  BOOST_TEST(top_labels(s.search("\"critical infrastructure\" OR \"space debris\"")).size() == 2u);
  // Phrase words match as typed, though plain words match through stems.
  taxon::SearchOptions as_typed;
  as_typed.spelling = false;
  BOOST_TEST(!s.search("space debri", as_typed).hits.empty());
  BOOST_TEST(s.search("\"space debri\"", as_typed).hits.empty());
}

BOOST_AUTO_TEST_CASE(anchors_other_than_the_default_are_kept) {
  // The index stores an anchor only when it differs from the one Hugo makes
  // of the heading's text: a {#id}, or a repeated heading's "-1".
  TempDir t;
  t.write("c/a.md",
          "# Root\n## Orbit Plans; low orbit\n## Orbit Plans; low orbit\n"
          "## Launch Windows {#windows}\n");
  taxon::Searcher s = indexed(t);
  std::vector<std::string> anchors;
  for (const auto& h : s.search("orbit").hits) anchors.push_back(h.anchor);
  std::sort(anchors.begin(), anchors.end());
  BOOST_TEST(
      anchors == (std::vector<std::string>{"orbit-plans-low-orbit", "orbit-plans-low-orbit-1"}),
      boost::test_tools::per_element());
  auto launch = s.search("launch windows");
  BOOST_REQUIRE(launch.hits.size() == 1u);
  BOOST_TEST(launch.hits[0].anchor == "windows");
  BOOST_TEST(launch.hits[0].url.substr(launch.hits[0].url.find('#')) == "#windows");
}

BOOST_AUTO_TEST_CASE(near_checks_repeated_words_in_long_headings) {
  // 300 alternating words: the check must not try every combination of
  // positions (this query once took seconds for one heading).
  std::string alternating;
  for (int i = 0; i < 150; ++i) alternating += " aa bb";
  TempDir t;
  t.write("c/a.md", "# Root\n## Pairs;" + alternating + "\n");
  taxon::Searcher s = indexed(t);
  taxon::SearchOptions as_typed;
  as_typed.spelling = false;
  // Six "aa" need at least 11 positions here; NEAR/2 of six words allows 6.
  BOOST_TEST(
      s.search("aa NEAR/2 aa NEAR/2 aa NEAR/2 aa NEAR/2 aa NEAR/2 aa", as_typed).hits.empty());
  BOOST_TEST(top_labels(s.search("aa NEAR/12 aa NEAR/12 aa NEAR/12 aa NEAR/12 aa NEAR/12 aa",
                                 as_typed)) == std::vector<std::string>{"Pairs"});
  BOOST_TEST(top_labels(s.search("\"aa bb aa bb aa\"", as_typed)) ==
             std::vector<std::string>{"Pairs"});
  BOOST_TEST(s.search("\"aa aa\"", as_typed).hits.empty());
  BOOST_TEST(s.search("bb ADJ/1 bb", as_typed).hits.empty());
}

BOOST_FIXTURE_TEST_CASE(wildcards_expand_over_the_vocabulary, Fixture) {
  taxon::Searcher s(db);
  // The index holds stems only: a prefix is expanded over the label and
  // keyword words, then matched through their stems.
  auto labels = top_labels(s.search("mitigat*"));
  BOOST_TEST(labels.size() == 2u);
  BOOST_TEST(std::count(labels.begin(), labels.end(), "Market Access") == 1);  // "mitigated"
  BOOST_TEST(labels[0] == "Debris Mitigation");
  BOOST_TEST(s.search("zzyzx*").hits.empty());
  BOOST_TEST(top_labels(s.search("critic* infra*")) ==
             std::vector<std::string>{"Critical Infrastructure"});
  taxon::SearchOptions partial;
  partial.partial = true;
  BOOST_TEST(top_labels(s.search("critical infra", partial)) ==
             std::vector<std::string>{"Critical Infrastructure"});
  // By default the last word is completed when it is no word of the index.
  BOOST_TEST(top_labels(s.search("critical infra")) ==
             std::vector<std::string>{"Critical Infrastructure"});
  taxon::SearchOptions whole;
  whole.complete = false;
  whole.all = true;
  BOOST_TEST(s.search("critical infra", whole).hits.empty());
  auto r = s.search("space NOT debris");
  for (const auto& h : r.hits) BOOST_TEST(h.label != "Debris Mitigation");
  BOOST_TEST(!r.hits.empty());
  BOOST_TEST(s.search("debris OR espresso").hits.size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(diacritics_and_cjk_match, Fixture) {
  taxon::Searcher s(db);
  BOOST_TEST(top_labels(s.search("cafe")) == std::vector<std::string>{"Café Culture"});
  BOOST_TEST(top_labels(s.search("CAFÉ")) == std::vector<std::string>{"Café Culture"});
  BOOST_TEST(top_labels(s.search("空间站")).size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(filters_by_field, Fixture) {
  taxon::Searcher s(db);
  BOOST_TEST(s.search("tag:international-entities").hits.size() == 7u);
  BOOST_TEST(s.search("tag:\"International Entities\" debris").hits.size() == 1u);
  BOOST_TEST(s.search("category:stakeholders space").hits.size() >= 1u);
  BOOST_TEST(s.search("tag:food").hits.size() == 1u);
  auto under = s.search("under:3.2");
  BOOST_TEST(under.hits.size() == 3u);
  BOOST_TEST(s.search("under:\"Security Interests\"").hits.size() == 3u);
  BOOST_TEST(s.search("under:\"Strategic Objectives/Security Interests\"").hits.size() == 3u);
  BOOST_TEST(s.search("under:\"Economic Development/Security Interests\"").hits.empty());
  BOOST_TEST(s.search("level:4").hits.size() == 3u);
  BOOST_TEST(s.search("level:1..2 space").hits.size() ==
             2u);  // the H1, and an H2 under it by context
  BOOST_TEST(s.search("label:debris").hits.size() == 1u);
  BOOST_TEST(s.search("keywords:cleanup").hits.size() == 1u);
  // keywords: reads the stored phrase: a word only in the label does not count.
  BOOST_TEST(s.search("label:objectives").hits.size() == 1u);
  BOOST_TEST(s.search("keywords:objectives").hits.empty());
  // Quoted and wildcard values of label: and keywords: (which Xapian's
  // QueryParser does not hand to a field processor as they are).
  BOOST_TEST(top_labels(s.search("label:\"debris mitigation\"")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(top_labels(s.search("label:deb*")) == std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(top_labels(s.search("(label:Debris OR label:Critical) infrastructure")) ==
             std::vector<std::string>{"Critical Infrastructure"});
  BOOST_TEST(top_labels(s.search("keywords:strategic")) ==
             std::vector<std::string>{"Strategic Objectives"});
  BOOST_TEST(top_labels(s.search("keywords:clean*")) ==
             std::vector<std::string>{"Debris Mitigation"});
  BOOST_TEST(s.search("keywords:cleanup OR keywords:espresso").hits.size() == 2u);
  BOOST_TEST(s.search("keywords:\"space debris\"").hits.size() == 1u);
  // A subtree ends where its next sibling starts.
  BOOST_TEST(top_labels(s.search("under:3.3")) ==
                 (std::vector<std::string>{"Economic Development", "Market Access"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.search("under:\"Strategic Objectives\"").hits.size() == 6u);
  BOOST_TEST(s.search("label:cleanup").hits.empty());
  BOOST_TEST(s.search("page:maps/cafe.md").hits.size() == 1u);
  BOOST_TEST(s.search("page:Café").hits.size() == 1u);
  BOOST_TEST(s.search("lang:zh").hits.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(spelling_correction_is_used_when_nothing_matches, Fixture) {
  taxon::Searcher s(db);
  auto r = s.search("debirs mitigation");
  BOOST_TEST(r.corrected == "debris mitigation");
  BOOST_TEST(r.used_correction);
  BOOST_REQUIRE(!r.hits.empty());
  BOOST_TEST(r.hits[0].label == "Debris Mitigation");
  BOOST_TEST(s.search("security interests").corrected.empty());
  // Field values are not words to correct.
  BOOST_TEST(s.search("under:\"Security Interests\" debris").corrected.empty());
  BOOST_TEST(s.search("under:\"Security Interests\" debirs").corrected ==
             "under:\"Security Interests\" debris");
}

BOOST_AUTO_TEST_CASE(spelling_is_corrected_across_shards) {
  TempDir t;
  const std::vector<std::string> words = {"exhilaration", "cryptocurrency", "entrepreneurial",
                                          "archipelago",  "photosynthesis", "chrysanthemum",
                                          "kaleidoscope", "thermodynamics"};
  for (std::size_t i = 0; i < words.size(); ++i)
    t.write("c/p" + std::to_string(i) + ".md", "# " + words[i] + "; about " + words[i] + "\n");
  auto o = options_for(t);
  o.jobs = 6;
  taxon::Indexer(o).index({t.path() / "c"});
  taxon::Searcher s(o.db);
  const std::vector<std::pair<std::string, std::string>> typos = {
      {"exhileration", "exhilaration"},      {"cryptocurreny", "cryptocurrency"},
      {"entrepeneurial", "entrepreneurial"}, {"archipelgo", "archipelago"},
      {"photosynthesys", "photosynthesis"},  {"chrysanthemun", "chrysanthemum"},
      {"kaleidoscop", "kaleidoscope"},       {"thermodynamcs", "thermodynamics"}};
  for (const auto& [typo, word] : typos) {
    // Corrected, unless the typo has the word's stem and finds it as typed.
    auto r = s.search(typo);
    const bool found = r.corrected.empty() && !r.hits.empty() && r.hits[0].label == word;
    BOOST_TEST((r.corrected == word || found), typo << " corrected to '" << r.corrected << "'");
  }
}

BOOST_AUTO_TEST_CASE(spelling_does_not_depend_on_the_shard_count) {
  // "debirs" is one swap from "debris" and two edits from the more frequent
  // "desire": the closest word must win however pages fall into shards.
  TempDir t;
  t.write("c/space.md", "# Debris Mitigation; space debris cleanup\n");
  for (int i = 0; i < 12; ++i)
    t.write("c/p" + std::to_string(i) + ".md", "# Desire " + std::to_string(i) + "; desire wish\n");
  for (unsigned shards : {1u, 2u, 3u, 5u, 8u}) {
    auto o = options_for(t);
    o.db = t.path() / ("db" + std::to_string(shards));
    o.jobs = shards;
    taxon::Indexer(o).index({t.path() / "c"});
    taxon::Searcher s(o.db);
    BOOST_TEST(s.search("debirs mitigation").corrected == "debris mitigation", shards << " shards");
  }
}

BOOST_FIXTURE_TEST_CASE(complete_offers_fields_values_and_words, Fixture) {
  taxon::Searcher s(db);
  auto has = [](const std::vector<std::string>& v, const std::string& w) {
    return std::find(v.begin(), v.end(), w) != v.end();
  };
  BOOST_TEST(s.complete("cat") == std::vector<std::string>{"category:"});
  BOOST_TEST(s.complete("tag:int") == std::vector<std::string>{"tag:international-entities"});
  // Most used first: seven headings have the one, one the other.
  BOOST_TEST(s.complete("Tag:") ==
             (std::vector<std::string>{"tag:international-entities", "tag:food"}));
  BOOST_TEST(has(s.complete("lang:"), "lang:zh"));
  BOOST_TEST(s.complete("under:3") ==
             (std::vector<std::string>{"under:3", "under:3.2", "under:3.3"}));
  BOOST_TEST(s.complete("under:\"strategic obj") ==
             std::vector<std::string>{"under:\"Strategic Objectives\""});
  BOOST_TEST(s.complete("under:Secu") == std::vector<std::string>{"under:\"Security Interests\""});
  // Words of the index, most used first, and a sign kept in front.
  const auto mit = s.complete("miti");
  BOOST_TEST(has(mit, "mitigation"));
  BOOST_TEST(has(mit, "mitigated"));
  BOOST_TEST(s.complete("-debr") == std::vector<std::string>{"-debris"});
  BOOST_TEST(s.complete("zzzz").empty());
  BOOST_TEST(s.complete("cat", 0).empty());
  BOOST_TEST(s.complete("").size() == 8u);  // the field names
}

BOOST_FIXTURE_TEST_CASE(malformed_query_is_bad_query, Fixture) {
  taxon::Searcher s(db);
  for (const char* q : {"debris AND (", "level:9", "under:", "\xFF"}) {
    try {
      s.search(q);
      BOOST_ERROR(std::string("no error for: ") + q);
    } catch (const taxon::Error& e) {
      BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(taxon::ErrorCode::BadQuery));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_label_typed_as_a_query_finds_its_heading) {
  // Index-time and query-time analysis must agree: each label, typed as the
  // query, finds its own heading first, whatever its script or form.
  const std::vector<std::string> labels = {"Crème Brûlée",     "Ｆｕｌｌｗｉｄｔｈ Ｌａｂｅｌ",
                                           "ﬁnancial ﬂows",    "strings.Contains",
                                           "北京大学图书馆",   "東京タワーの観光",
                                           "การจัดการขยะอวกาศ", "Москва Ёлка",
                                           "Ωμέγα Δέλτα",      "don't-panic_mode 3.2"};
  TempDir t;
  std::string md = "# Root\n";
  for (const auto& l : labels) md += "## " + l + "; x\n";
  t.write("c/p.md", md);
  taxon::Searcher s = indexed(t);
  for (const auto& l : labels) {
    auto r = s.search(l);
    BOOST_REQUIRE_MESSAGE(!r.hits.empty(), "no hit for " << l);
    BOOST_TEST(r.hits[0].label == l);
  }
}

BOOST_AUTO_TEST_CASE(missing_index_is_not_found) {
  TempDir t;
  try {
    taxon::Searcher s(t.path() / "nothing");
    BOOST_FAIL("opened a missing index");
  } catch (const taxon::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(taxon::ErrorCode::NotFound));
  }
}

// A total people can page with: the same at every page size and exact
// below 2,000 matches, a fallback's too. 3,000 headings of two to five words
// drawn from twelve (a fixed pseudo-random sequence); no heading holds
// "zzzz", so the longer queries fall back to headings with most words.
BOOST_AUTO_TEST_CASE(totals_do_not_depend_on_the_page_size) {
  TempDir t;
  const char* const vocab[] = {"amber",  "basalt", "cobalt", "dune", "ember", "flint",
                               "garnet", "heath",  "iris",   "jade", "kelp",  "loam"};
  std::uint32_t x = 12345;
  auto next = [&x] {
    x = x * 1103515245u + 12345u;
    return (x >> 16) & 0x7fff;
  };
  for (int p = 0; p < 30; ++p) {
    std::string page = "# Page " + std::to_string(p) + "; page\n";
    for (int h = 0; h < 100; ++h) {
      page += "## Heading " + std::to_string(p * 100 + h) + ";";
      for (unsigned k = 0, n = 2 + next() % 4; k < n; ++k)
        page += std::string(" ") + vocab[next() % 12];
      page += "\n";
    }
    t.write("c/p" + std::to_string(p) + ".md", page);
  }
  taxon::Searcher s = indexed(t);
  for (const std::string query : {"amber basalt", "amber basalt zzzz", "amber basalt cobalt zzzz",
                                  "amber basalt cobalt dune zzzz"}) {
    taxon::SearchOptions exact;
    exact.exact_total = true;
    const taxon::SearchResult all = s.search(query, exact);
    BOOST_TEST(all.estimated_total > 0u, query);
    BOOST_TEST(all.most_words == (query.find("zzzz") != std::string::npos), query);
    for (std::size_t limit : {1, 10, 100}) {
      taxon::SearchOptions page;
      page.limit = limit;
      const taxon::SearchResult r = s.search(query, page);
      BOOST_TEST(r.estimated_total == all.estimated_total, query << " limit " << limit);
      BOOST_TEST(r.total_is_exact, query << " limit " << limit);
    }
  }
}

// "Most words" finds the headings with all the words but one, else but two,
// and only those: a heading with fewer words is not among them.
BOOST_AUTO_TEST_CASE(most_words_are_exactly_that_many_words) {
  TempDir t;
  t.write("c/a.md",
          "# Three A; amber basalt cobalt\n# Three B; basalt cobalt dune\n"
          "# Two A; amber dune\n# Two B; cobalt dune\n# One; basalt\n");
  t.write("c/b.md", "# Four A; amber basalt cobalt dune\n# Three C; dune amber cobalt\n");
  taxon::Searcher s = indexed(t);
  taxon::SearchOptions exact;
  exact.exact_total = true;
  auto labels = [](const taxon::SearchResult& r) {
    std::vector<std::string> l = top_labels(r);
    std::sort(l.begin(), l.end());
    return l;
  };
  // Five words, no heading has them all: the one with four.
  taxon::SearchResult r = s.search("amber basalt cobalt dune zzzz", exact);
  BOOST_TEST(r.most_words);
  BOOST_TEST(labels(r) == (std::vector<std::string>{"Four A"}), boost::test_tools::per_element());
  BOOST_TEST(r.estimated_total == 1u);
  // Four words, none has all: the two with three of them (not those with
  // two, as "Three B" and "Three C" have).
  r = s.search("amber basalt cobalt zzzz", exact);
  BOOST_TEST(r.most_words);
  BOOST_TEST(labels(r) == (std::vector<std::string>{"Four A", "Three A"}),
             boost::test_tools::per_element());
  // Three words, none has all: those with two of them, not those with one.
  r = s.search("amber dune zzzz", exact);
  BOOST_TEST(r.most_words);
  BOOST_TEST(labels(r) == (std::vector<std::string>{"Four A", "Three C", "Two A"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.estimated_total == 3u);
}

// The last word of a widened step is completed and derived at once; a term
// that is both (ampler: ample completed, and ample's derivation) is matched
// once, not once for each, which would count it twice.
BOOST_AUTO_TEST_CASE(a_completion_that_is_also_a_related_form_is_one_leaf) {
  TempDir t;
  t.write("c/a.md",
          "# Zircon Ampler; zircon ampler\n# Zircon Amplest; zircon amplest\n"
          "# Amplest Ampler Ample; amplest ampler ample\n# Amplest Ampler; amplest ampler\n");
  taxon::Searcher s = indexed(t);
  const taxon::SearchResult r = s.search("zircon ample", {});
  BOOST_TEST(r.steps == (std::vector<std::string>{"as typed", "widened"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.explain.find("Zamplest") != std::string::npos);
  const std::size_t first = r.explain.find("Zampler");
  BOOST_TEST_REQUIRE(first != std::string::npos);
  BOOST_TEST(r.explain.find("Zampler", first + 1) == std::string::npos, r.explain);
  BOOST_TEST(r.estimated_total == 2u);
}

// The word being typed, and a wildcard, match their most frequent words
// only as far as those are used on max_completion_pages pages together (the
// most frequent always): zeta is on 5 pages, zebra on 3, zenith on 1.
BOOST_AUTO_TEST_CASE(completions_stop_at_their_budget_of_pages) {
  TempDir t;
  for (int i = 0; i < 5; ++i) {
    std::string page = "# Zeta " + std::to_string(i) + "\n";
    if (i < 3) page += "# Zebra " + std::to_string(i) + "\n";
    if (i < 1) page += "# Zenith\n";
    t.write("c/p" + std::to_string(i) + ".md", page + "# Other\n");
  }
  taxon::Searcher s = indexed(t);
  taxon::SearchOptions opts;
  opts.exact_total = true;
  auto total = [&](const std::string& q, std::size_t budget) {
    opts.limits.max_completion_pages = budget;
    return s.search(q, opts).estimated_total;
  };
  for (const std::string q : {"ze", "ze*"}) {
    BOOST_TEST_CONTEXT(q) {
      BOOST_TEST(total(q, 0) == 9u);  // no budget: every completion
      BOOST_TEST(total(q, 9) == 9u);  // all three fit
      BOOST_TEST(total(q, 8) == 8u);  // zenith does not
      BOOST_TEST(total(q, 7) == 5u);  // nor zebra
      BOOST_TEST(total(q, 1) == 5u);  // zeta, the most frequent, always
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
