// SPDX-License-Identifier: MIT
// Incremental runs must end where a fresh --rebuild ends, whatever the edits.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "../index_fingerprint.h"
#include "../temp_dir.h"
#include "index/test_hooks.h"
#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/searcher.h"

using taxon::test::index_fingerprint;
using taxon::test::TempDir;

namespace {

std::string page(const std::string& title, const std::string& extra) {
  return "---\ntitle: " + title + "\ntags: [t1]\n---\n# " + title +
         "; root words\n## 1. Child; child words " + extra + "\n### 1.1 Grandchild; deep words\n";
}

taxon::IndexSummary index_into(const std::filesystem::path& db, const std::filesystem::path& root,
                               bool rebuild = false, unsigned jobs = 2) {
  taxon::IndexOptions o;
  o.db = db;
  o.rebuild = rebuild;
  o.jobs = jobs;
  taxon::Indexer ix(o);
  return ix.index({root});
}

// A file whose content changes keeps its size and mtime only by accident;
// set the mtime explicitly so the change is seen even within one clock tick.
void bump_mtime(const std::filesystem::path& p, int seconds) {
  std::filesystem::last_write_time(
      p, std::filesystem::last_write_time(p) + std::chrono::seconds(seconds));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(incremental)

BOOST_AUTO_TEST_CASE(edits_and_reruns_equal_a_fresh_rebuild) {
  TempDir t;
  const auto root = t.path() / "content";
  for (int i = 0; i < 30; ++i)
    t.write("content/s" + std::to_string(i % 3) + "/p" + std::to_string(i) + ".md",
            page("Page " + std::to_string(i), "alpha"));
  const auto db = t.path() / "db";
  index_into(db, root);

  // Change, add, remove, rename, break and mend files across several runs.
  t.write("content/s0/p0.md", page("Page 0", "beta gamma"));
  bump_mtime(root / "s0/p0.md", 10);
  t.write("content/s1/new.md", page("New page", "delta"));
  std::filesystem::remove(root / "s2/p2.md");
  auto s1 = index_into(db, root);
  BOOST_TEST(s1.updated == 1u);
  BOOST_TEST(s1.added == 1u);
  BOOST_TEST(s1.removed == 1u);

  std::filesystem::rename(root / "s1/p1.md", root / "s1/renamed.md");
  t.write("content/s0/p3.md", "# broken \xFF\n");
  bump_mtime(root / "s0/p3.md", 20);
  auto s2 = index_into(db, root);
  BOOST_TEST(s2.added == 1u);
  BOOST_TEST(s2.removed == 1u);
  BOOST_TEST(s2.skipped == 1u);  // the broken file keeps its old headings

  t.write("content/s0/p3.md", page("Page 3", "mended"));
  bump_mtime(root / "s0/p3.md", 30);
  // Touched but unchanged content: no document is rewritten.
  bump_mtime(root / "s0/p6.md", 40);
  auto s3 = index_into(db, root, false, 1);
  BOOST_TEST(s3.updated == 1u);
  BOOST_TEST(s3.unchanged == 29u);  // 30 files, one of them updated
  BOOST_TEST(s3.headings == 3u);

  auto s4 = index_into(db, root);
  BOOST_TEST(!s4.wrote);

  const auto fresh = t.path() / "fresh";
  index_into(fresh, root, true);
  BOOST_TEST(index_fingerprint(db.string()) == index_fingerprint(fresh.string()),
             boost::test_tools::per_element());
}

namespace {

// What a query shows: each hit's label, page, ordinal and breadcrumb, in
// order; with `scores`, each hit's score first, and hits of equal score in
// one order (document ids break ties, and a merge numbers them anew).
std::vector<std::string> shown(const std::filesystem::path& db, const std::string& q,
                               bool scores = false) {
  taxon::SearchOptions o;
  o.limit = 500;  // every hit: a page cut inside a tie would differ
  std::vector<std::string> out;
  for (const auto& h : taxon::Searcher(db).search(q, o).hits) {
    char score[32];
    std::snprintf(score, sizeof score, "%012.6f|", 1e5 - h.score);
    out.push_back((scores ? std::string(score) : std::string()) + h.label + "|" + h.path + "|" +
                  std::to_string(h.ordinal) + "|" + h.breadcrumb());
  }
  if (scores) std::sort(out.begin(), out.end());
  return out;
}

// Words as typed only: no completion of a word the index no longer holds.
taxon::SearchOptions strict() {
  taxon::SearchOptions o;
  o.all = true;
  o.partial = false;
  o.complete = false;
  return o;
}

std::size_t hidden_lists(const std::filesystem::path& db) {
  std::size_t n = 0;
  for (const auto& shard : taxon::test::index_shards(db.string()))
    n += !shard.get_metadata("taxon:hidden").empty();
  return n;
}

}  // namespace

// Shards keep no term lists, so a replaced page's documents stay in them,
// hidden, until a merge rewrites the shard: before it and after it the index
// answers as a clean build does.
BOOST_AUTO_TEST_CASE(replaced_pages_are_hidden_then_merged_away) {
  TempDir t;
  const auto root = t.path() / "content";
  // 200 pages in 2 shards: a shard holds 100 ± 20 of them whatever their
  // ids (which hash the temporary folder's path), so 2 changed pages stay far
  // under the merge threshold (a tenth) and 120 changed pages far over it.
  for (int i = 0; i < 200; ++i)
    t.write("content/p" + std::to_string(i) + ".md",
            page("Page " + std::to_string(i), "oldword" + std::to_string(i)));
  const auto db = t.path() / "db";
  index_into(db, root);
  const std::vector<std::string> queries{"child words", "deep",       "page 3",         "oldword1",
                                         "newword1",    "root words", "grandchild page"};
  // While documents are hidden, the statistics still count them, so the
  // same hits may score differently; once merged, every hit scores the same.
  auto same_as_clean = [&](const std::string& when, bool merged) {
    const auto fresh = t.path() / ("fresh-" + when);
    index_into(fresh, root, true);
    BOOST_TEST(index_fingerprint(db.string()) == index_fingerprint(fresh.string()),
               boost::test_tools::per_element());
    for (const auto& q : queries) {
      auto a = shown(db, q, merged), b = shown(fresh, q, merged);
      if (!merged) {
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
      }
      BOOST_TEST(a == b, when << ": '" << q << "'");
    }
    BOOST_TEST(taxon::Searcher(db).size() == 600u);
  };

  // Two of 200 pages change: 1% of the documents are hidden.
  for (int i : {1, 2}) {
    t.write("content/p" + std::to_string(i) + ".md",
            page("Page " + std::to_string(i), "newword" + std::to_string(i)));
    bump_mtime(root / ("p" + std::to_string(i) + ".md"), 10);
  }
  index_into(db, root);
  BOOST_TEST(hidden_lists(db) > 0u);
  BOOST_TEST(taxon::test::open_index(db.string()).get_doccount() == 606u);
  BOOST_TEST(taxon::Searcher(db).search("oldword1", strict()).hits.empty());
  const auto hits = shown(db, "newword1");
  BOOST_TEST_REQUIRE(hits.size() == 1u);
  BOOST_TEST(hits[0].find("Child|") == 0u);
  BOOST_TEST(hits[0].find("p1.md|1|") != std::string::npos);
  same_as_clean("hidden", false);

  // Most pages change: the shards are merged.
  for (int i = 3; i < 123; ++i) {
    t.write("content/p" + std::to_string(i) + ".md",
            page("Page " + std::to_string(i), "newword" + std::to_string(i)));
    bump_mtime(root / ("p" + std::to_string(i) + ".md"), 10);
  }
  std::filesystem::remove(root / "p199.md");
  t.write("content/p199.md", page("Page 199", "back"));
  index_into(db, root);
  BOOST_TEST(hidden_lists(db) == 0u);
  BOOST_TEST(taxon::test::open_index(db.string()).get_doccount() == 600u);
  same_as_clean("merged", true);
  // And later changes land on the merged shards as on any other.
  t.write("content/p5.md", page("Page 5", "third"));
  bump_mtime(root / "p5.md", 20);
  index_into(db, root);
  BOOST_TEST(taxon::Searcher(db).search("newword5", strict()).hits.empty());
  BOOST_TEST(shown(db, "third").size() == 1u);
  same_as_clean("after", false);
}

// A one-word query's total is its term's frequency less the hidden documents
// that hold it: exact past the 2,000 matches a total is otherwise estimated
// from, whatever the page asked for, and the same as a walk of every match.
BOOST_AUTO_TEST_CASE(one_word_totals_are_exact_with_hidden_documents) {
  TempDir t;
  const auto root = t.path() / "content";
  auto write = [&](int i, const std::string& word) {
    std::string text = "# Page " + std::to_string(i) + "; root\n";
    for (int h = 0; h < 10; ++h)
      text += "## Part " + std::to_string(h) + "; " + word + " quarry " + std::to_string(h) + "\n";
    t.write("content/p" + std::to_string(i) + ".md", text);
  };
  for (int i = 0; i < 250; ++i) write(i, "granite");
  const auto db = t.path() / "db";
  index_into(db, root);
  auto check = [&](const std::string& query, std::size_t expected) {
    taxon::Searcher s(db);
    taxon::SearchOptions exact;
    exact.exact_total = true;
    const taxon::SearchResult walked = s.search(query, exact);
    BOOST_TEST(walked.estimated_total == expected, query);
    for (std::size_t limit : {1, 10}) {
      taxon::SearchOptions page;
      page.limit = limit;
      const taxon::SearchResult r = s.search(query, page);
      BOOST_TEST(r.estimated_total == expected, query << " limit " << limit);
      BOOST_TEST(r.total_is_exact, query << " limit " << limit);
      BOOST_TEST_REQUIRE(r.hits.size() == limit);
      for (std::size_t k = 0; k < limit; ++k)
        BOOST_TEST(r.hits[k].score == walked.hits[k].score, query << " hit " << k);
    }
  };
  check("granite", 2500);
  // Three pages lose the word: their old documents are hidden, not removed.
  for (int i : {7, 8, 9}) {
    write(i, "basalt");
    bump_mtime(root / ("p" + std::to_string(i) + ".md"), 10);
  }
  index_into(db, root);
  BOOST_REQUIRE(hidden_lists(db) > 0u);
  check("granite", 2470);
  check("basalt", 30);
  check("quarry", 2500);
}

// .gitignore and .ignore leave pages out as git would, unless turned off.
BOOST_AUTO_TEST_CASE(ignore_files_leave_pages_out) {
  TempDir t;
  const std::string page_text = "# Topic; shared words\n";
  for (const char* f : {"a.md", "node_modules/pkg/README.md", "node_modules/deep/x/README.md",
                        "build/out.md", "keep/notes.md", "keep/scratch.tmp.md", "docs/draft.md",
                        "sub/docs/draft.md", "sub/secret.md", "sub/open.md", "logs/x.md"})
    t.write(std::string("c/") + f, page_text);
  t.write("c/.gitignore",
          "# generated\nnode_modules/\nbuild\n*.tmp.md\n/docs/draft.md\nlogs/**\n"
          "keep/*\n!keep/notes.md\n");
  t.write("c/sub/.ignore", "secret.md\n");
  auto indexed = [&](bool honour) {
    taxon::IndexOptions o;
    o.db = t.path() / (honour ? "db" : "db-all");
    o.honour_ignore_files = honour;
    taxon::Indexer(o).index({t.path() / "c"});
    std::set<std::string> paths;
    taxon::SearchOptions so;
    so.limit = 100;
    for (const auto& h : taxon::Searcher(o.db).search("shared words", so).hits)
      paths.insert(std::filesystem::path(h.path).lexically_relative(t.path() / "c").string());
    return paths;
  };
  BOOST_TEST(indexed(true) == (std::set<std::string>{"a.md", "keep/notes.md", "sub/docs/draft.md",
                                                     "sub/open.md"}),
             boost::test_tools::per_element());
  BOOST_TEST(indexed(false).size() == 11u);
}

BOOST_AUTO_TEST_CASE(drafts_are_left_out_unless_asked) {
  TempDir t;
  t.write("c/d.md", "---\ntitle: Draft\ndraft: true\n---\n# Secret plan; hidden words\n");
  t.write("c/p.md", "# Public; open words\n");
  auto s = index_into(t.path() / "db", t.path() / "c");
  BOOST_TEST(s.added == 1u);
  BOOST_TEST(s.drafts == 1u);
  BOOST_TEST(taxon::Searcher(t.path() / "db").search("secret").hits.empty());
  taxon::IndexOptions o;
  o.db = t.path() / "db2";
  o.drafts = true;
  taxon::Indexer(o).index({t.path() / "c"});
  BOOST_TEST(taxon::Searcher(t.path() / "db2").search("secret").hits.size() == 1u);
}

BOOST_AUTO_TEST_CASE(language_comes_from_front_matter_or_path) {
  TempDir t;
  t.write("content/fr/a.md", "# Politiques nationales\n");
  t.write("content/b.de.md", "# Nationale Politik\n");
  t.write("content/c.md", "---\nlang: es\n---\n# Política\n");
  t.write("content/js/d.md", "# Scripts\n");           // a section folder, not a language
  t.write("content/notes.v2.md", "# Second notes\n");  // a dotted name, not a language
  index_into(t.path() / "db", t.path() / "content");
  taxon::Searcher s(t.path() / "db");
  BOOST_TEST(s.search("lang:fr").hits.size() == 1u);
  BOOST_TEST(s.search("lang:de").hits.size() == 1u);
  auto es = s.search("lang:es");
  BOOST_REQUIRE(es.hits.size() == 1u);
  BOOST_TEST(es.hits[0].url == "/es/c/#política");
  BOOST_TEST(s.search("lang:fr").hits[0].url == "/fr/a/#politiques-nationales");
  auto js = s.search("scripts");
  BOOST_REQUIRE(js.hits.size() == 1u);
  BOOST_TEST(js.hits[0].lang == "en");
  BOOST_TEST(js.hits[0].url == "/js/d/#scripts");
  auto v2 = s.search("second notes");
  BOOST_REQUIRE(v2.hits.size() == 1u);
  BOOST_TEST(v2.hits[0].url == "/notes.v2/#second-notes");
}

BOOST_AUTO_TEST_CASE(hidden_folders_globs_and_symlink_loops) {
  TempDir t;
  t.write("c/.git/x.md", "# Hidden\n");
  t.write("c/keep.md", "# Keep\n");
  t.write("c/notes.txt", "# Not markdown\n");
  t.write("c/drafts/skip.md", "# Excluded\n");
  t.write("c/_index.md", "---\ntitle: Section\n---\nIntro.\n");
  std::filesystem::create_directory_symlink(t.path() / "c", t.path() / "c/loop");
  taxon::IndexOptions o;
  o.db = t.path() / "db";
  o.exclude = {"drafts"};
  std::vector<taxon::Diagnostic> diags;
  auto s = taxon::Indexer(o).index({t.path() / "c"}, {},
                                   [&](const taxon::Diagnostic& d) { diags.push_back(d); });
  BOOST_TEST(s.added == 2u);  // keep.md and the section page
  BOOST_REQUIRE_EQUAL(diags.size(), 1u);
  BOOST_TEST(diags[0].message.find("symbolic link loop") != std::string::npos);
  taxon::Searcher searcher(o.db);
  BOOST_TEST(searcher.search("section").hits.size() == 1u);
  BOOST_TEST(searcher.search("hidden").hits.empty());
}

BOOST_AUTO_TEST_CASE(file_deleted_between_walk_and_read_is_reported) {
  TempDir t;
  t.write("c/a.md", "# A\n");
  t.write("c/gone.md", "# Gone\n");
  taxon::IndexOptions o;
  o.db = t.path() / "db";
  const taxon::index::ScopedBeforeReadHook hook([](const std::string& path) {
    if (path.find("gone.md") != std::string::npos) std::filesystem::remove(path);
  });
  std::vector<taxon::Diagnostic> diags;
  auto s = taxon::Indexer(o).index({t.path() / "c"}, {},
                                   [&](const taxon::Diagnostic& d) { diags.push_back(d); });
  BOOST_TEST(s.added == 1u);
  BOOST_TEST(s.skipped == 1u);
  BOOST_REQUIRE_EQUAL(diags.size(), 1u);
  BOOST_TEST(diags[0].to_string().find("gone.md: file vanished before it could be read") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(oversized_and_unreadable_files_are_skipped) {
  TempDir t;
  t.write("c/big.md", "# Big\n" + std::string(5000, 'x') + "\n");
  t.write("c/small.md", "# Small\n");
  auto secret = t.write("c/secret.md", "# Secret\n");
  ::chmod(secret.c_str(), 0);
  taxon::IndexOptions o;
  o.db = t.path() / "db";
  o.max_file_size = 1000;
  std::vector<taxon::Diagnostic> diags;
  auto s = taxon::Indexer(o).index({t.path() / "c"}, {},
                                   [&](const taxon::Diagnostic& d) { diags.push_back(d); });
  bool root = ::geteuid() == 0;  // root reads files whatever their mode
  BOOST_TEST(s.skipped == (root ? 1u : 2u));
  // Shards report from their own threads: the order of the two is not fixed.
  BOOST_REQUIRE_EQUAL(diags.size(), root ? 1u : 2u);
  auto reported = [&](const std::string& file, const std::string& what) {
    return std::any_of(diags.begin(), diags.end(), [&](const taxon::Diagnostic& d) {
      return d.path.find(file) != std::string::npos && d.message.find(what) != std::string::npos;
    });
  };
  BOOST_TEST(reported("big.md", "over the size limit of 1000"));
  if (!root) BOOST_TEST(reported("secret.md", "permission denied"));
}

BOOST_AUTO_TEST_CASE(waits_for_the_lock_when_asked) {
  TempDir t;
  t.write("c/a.md", "# A\n");
  taxon::IndexOptions o;
  o.db = t.path() / "db";
  auto holder = std::make_unique<taxon::Indexer>(o);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    holder.reset();
  });
  o.wait_seconds = 10;
  taxon::Indexer waiter(o);
  release.join();
  BOOST_TEST(waiter.index({t.path() / "c"}).added == 1u);
}

namespace {

std::uintmax_t folder_bytes(const std::filesystem::path& dir) {
  std::uintmax_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(compaction_keeps_the_index_and_its_lock) {
  TempDir t;
  for (int i = 0; i < 200; ++i)
    t.write("content/p" + std::to_string(i) + ".md",
            page("Page " + std::to_string(i), "alpha word" + std::to_string(i)));
  const auto root = t.path() / "content";
  auto build = [&](const std::filesystem::path& db, taxon::IndexOptions::Compact c) {
    taxon::IndexOptions o;
    o.db = db;
    o.jobs = 2;
    o.compact = c;
    taxon::Indexer ix(o);
    ix.index({root});
  };
  const auto loose = t.path() / "loose", tight = t.path() / "tight";
  build(loose, taxon::IndexOptions::Compact::Never);
  build(tight, taxon::IndexOptions::Compact::Auto);  // a new index: every shard is compacted
  BOOST_TEST(index_fingerprint(loose.string()) == index_fingerprint(tight.string()),
             boost::test_tools::per_element());
  BOOST_TEST(folder_bytes(tight) < folder_bytes(loose) * 9 / 10);
  for (const auto& e : std::filesystem::directory_iterator(tight))
    BOOST_TEST(e.path().extension() != ".compact");

  // After compacting, the Indexer still holds every shard's lock and writes.
  taxon::IndexOptions o;
  o.db = tight;
  o.compact = taxon::IndexOptions::Compact::Always;
  taxon::Indexer ix(o);
  ix.index({root});
  taxon::IndexOptions other = o;
  BOOST_CHECK_THROW(taxon::Indexer{other}, taxon::Error);
  taxon::Page extra;
  extra.front.title = "Extra";
  taxon::Heading h;
  h.label = "Zanzibar";
  h.keywords = "spice island";
  extra.headings.push_back(h);
  ix.add_page(extra, (root / "extra.md").string());
  ix.commit();
  taxon::Searcher s(tight);
  BOOST_TEST(s.search("zanzibar").hits.size() == 1u);
  taxon::SearchOptions all;
  all.exact_total = true;
  BOOST_TEST(s.search("alpha", all).estimated_total == 200u);
}

// A tag only a removed page had is no longer offered by complete(), though
// the page's documents are still in the shard until it is merged.
BOOST_AUTO_TEST_CASE(complete_leaves_out_removed_pages) {
  TempDir t;
  for (int p = 0; p < 200; ++p)
    t.write("c/p" + std::to_string(p) + ".md", "# Page " + std::to_string(p) + "; filler\n");
  t.write("c/cafe.md", "---\ntags: [food]\n---\n# Café; espresso\n");
  const auto db = t.path() / ".taxon";
  index_into(db, t.path() / "c");
  BOOST_TEST(taxon::Searcher(db).complete("tag:f") == std::vector<std::string>{"tag:food"});
  std::filesystem::remove(t.path() / "c/cafe.md");
  index_into(db, t.path() / "c");
  BOOST_REQUIRE(hidden_lists(db) > 0u);
  BOOST_TEST(taxon::Searcher(db).complete("tag:f").empty());
}

BOOST_AUTO_TEST_SUITE_END()
