// SPDX-License-Identifier: MIT
// URLs and anchors as Hugo makes them: small sites are built with the real
// `hugo` (Debian's package, installed by scripts/deps.sh browser), indexed
// with the real taxon-index, and every URL and anchor taxon-query reports
// must be a page and an id in hugo's public/ folder.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "process.h"

namespace fs = std::filesystem;
using taxon::test::quote;
using taxon::test::run;
using taxon::test::TempDir;

namespace {

const std::string kIndex = TAXON_INDEX_BIN;
const std::string kQuery = TAXON_QUERY_BIN;

// `make test` installs hugo; elsewhere the checks against it are left out, said once a test.
bool hugo_installed() {
  static const bool have = run("command -v hugo >/dev/null").exit == 0;
  BOOST_WARN_MESSAGE(have,
                     "hugo is not installed (scripts/deps.sh browser installs it): "
                     "URLs not checked against a site hugo built");
  return have;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kLayouts[][2] = {
    {"layouts/_default/single.html", "{{ .Content }}"},
    {"layouts/_default/list.html", "{{ .Content }}"},
    {"layouts/index.html", "{{ .Content }}"},
    {"layouts/shortcodes/jsvis-map1.html", "{{ .Inner }}"},
};

// Builds the site in `t`/site with hugo into public/ (hugo's own check that the site is one).
void build(const TempDir& t) {
  const fs::path site = t.path() / "site";
  for (const auto& l : kLayouts) t.write(std::string("site/") + l[0], l[1]);
  auto r = run("timeout 120 hugo --quiet -s " + quote(site.string()) + " -d " +
               quote((site / "public").string()));
  BOOST_REQUIRE_MESSAGE(r.exit == 0, "hugo failed: " + r.err + r.out);
}

struct Hit {
  std::string url, path, label;
};

// Every heading of the index, through taxon-query.
std::vector<Hit> every_heading(const std::string& db) {
  auto r = run(kQuery + " --db " + quote(db) + " --json --limit 10000 level:1..6");
  BOOST_REQUIRE_MESSAGE(r.exit == 0, r.err);
  std::vector<Hit> out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  for (const auto& h : j["hits"])
    out.push_back(
        {h["url"].get<std::string>(), h["path"].get<std::string>(), h["label"].get<std::string>()});
  return out;
}

// Each URL (base path taken off) must be a file of public/ holding the anchor as an id.
void check_in_public(const fs::path& site, const std::string& base_path,
                     const std::vector<Hit>& hits, std::size_t* checked) {
  for (const auto& h : hits) {
    if (h.url.empty()) continue;
    BOOST_TEST_CONTEXT(h.path << ": " << h.label << " -> " << h.url) {
      BOOST_TEST_REQUIRE(h.url.rfind(base_path, 0) == 0u);
      std::string url = h.url.substr(base_path.size() - 1);
      std::string anchor;
      if (auto hash = url.find('#'); hash != std::string::npos) {
        anchor = url.substr(hash + 1);
        url.resize(hash);
      }
      fs::path file = site / "public" / url.substr(1);
      if (url.back() == '/') file /= "index.html";
      BOOST_TEST_REQUIRE(fs::is_regular_file(file), "hugo built no " << file);
      if (!anchor.empty()) {
        BOOST_TEST(slurp(file).find("id=\"" + anchor + "\"") != std::string::npos,
                   "no id \"" << anchor << "\" in " << file);
      }
      ++*checked;
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_hugo)

// One language folder layout, permalinks, a base URL with a path, bundles,
// pages Hugo does not render, and anchors of every kind of text.
BOOST_AUTO_TEST_CASE(urls_and_anchors_are_pages_and_ids_hugo_builds) {
  if (!hugo_installed()) return;
  TempDir t;
  const fs::path site = t.path() / "site";
  t.write("site/hugo.toml", R"(baseURL = "https://example.org/handbook/"
title = "Handbook"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404"]
[permalinks]
posts = "/:year/:month/:title/"
notes = "/n/:slug/"
[languages.en]
weight = 1
[languages.fr]
weight = 2
)");
  // Not content: a site's own folder is indexed through its content folder.
  t.write("site/README.md", "# Readme of the repository\n");
  t.write("site/content/_index.md", "---\ntitle: Home\n---\n## Welcome aboard\n");
  t.write("site/content/posts/_index.md", "---\ntitle: Posts\n---\n## All the posts\n");
  t.write("site/content/posts/anchors.md", R"(---
title: "Anchor Test: C++ & Go"
date: 2024-03-05
---
## Équipe et café
## Debris Mitigation; consortium space debris mitigation
## 🚀 Rocket launch 🚀
## 🚀
## Two  spaces	and a tab
## Use `hugo` *now*
## Équipe et café
## C++ & Go: 100% (ok)
## Custom place {#my-own-id}
{{% jsvis-map1 %}}
### Mind map root
#### Branch one; leaf words
#### Branch one; leaf words
{{% /jsvis-map1 %}}
)");
  t.write("site/content/posts/anchors.fr.md",
          "---\ntitle: \"Essai d'ancres\"\ndate: 2024-01-02\n---\n## Équipe et café\n");
  t.write("site/content/notes/first note.md",
          "---\ntitle: First\nslug: \"The First One!\"\n---\n## Slugged heading\n");
  t.write("site/content/notes/Ärger Groß.md", "---\ntitle: X\n---\n## Umlaut file\n");
  t.write("site/content/docs/guide/index.md", "---\ntitle: Guide\n---\n## Bundle heading\n");
  t.write("site/content/docs/guide/part.md", "---\ntitle: Part\n---\n## Resource heading\n");
  t.write("site/content/snippets/index.md",
          "---\ntitle: Snippets\nheadless: true\n---\n## Headless heading\n");
  t.write("site/content/docs/hidden.md",
          "---\ntitle: Hidden\n_build:\n  render: never\n---\n## Never rendered heading\n");
  build(t);

  const std::string db = (t.path() / ".taxon").string();
  auto r = run(kIndex + " --quiet --db " + quote(db) + " " + quote(site.string()));
  BOOST_REQUIRE_MESSAGE(r.exit == 0, r.err);
  const auto hits = every_heading(db);
  std::size_t checked = 0;
  check_in_public(site, "/handbook/", hits, &checked);
  std::set<std::string> without_url;
  for (const auto& h : hits) {
    BOOST_TEST(h.path.find("README") == std::string::npos, "the site's README was indexed");
    if (h.url.empty()) without_url.insert(fs::path(h.path).filename().string());
  }
  // Pages Hugo renders nothing for keep their headings but get no URL.
  BOOST_TEST((without_url == std::set<std::string>{"part.md", "index.md", "hidden.md"}));
  BOOST_TEST(checked >= 25u);
  // By file and label: anchors.fr.md repeats a label of anchors.md, and
  // headings that match alike come in no set order.
  std::map<std::string, std::string> url_of;
  for (const auto& h : hits) url_of[fs::path(h.path).filename().string() + ": " + h.label] = h.url;
  BOOST_TEST(url_of["anchors.md: Équipe et café"].find("/handbook/2024/03/anchor-test-c-go/#") ==
             0u);
  BOOST_TEST(url_of["anchors.md: Custom place"] == "/handbook/2024/03/anchor-test-c-go/#my-own-id");
  BOOST_TEST(url_of["first note.md: Slugged heading"] ==
             "/handbook/n/the-first-one/#slugged-heading");
}

// The config/_default/ layout, a content folder per language in
// subfolders, ugly URLs and ASCII anchors.
BOOST_AUTO_TEST_CASE(config_folder_languages_ugly_urls_and_ascii_anchors) {
  if (!hugo_installed()) return;
  TempDir t;
  const fs::path site = t.path() / "site";
  t.write("site/config/_default/hugo.toml", R"(baseURL = "https://example.org/"
defaultContentLanguage = "de"
defaultContentLanguageInSubdir = true
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "404"]
)");
  t.write("site/config/_default/languages.yaml", R"(de:
  contentDir: content/de
  weight: 1
en:
  contentDir: content/en
  weight: 2
)");
  t.write("site/config/_default/markup.toml",
          "[goldmark.parser]\nautoHeadingIDType = \"github-ascii\"\n");
  t.write("site/content/de/docs/_index.md", "---\ntitle: Doku\n---\n## Über 🚀 uns\n");
  t.write("site/content/de/docs/seite.md", "---\ntitle: Seite\n---\n## Équipe et café\n");
  t.write("site/content/en/docs/page.md", "---\ntitle: Page\n---\n## Équipe et café\n");
  build(t);

  const std::string db = (t.path() / ".taxon").string();
  // The content folder given: the site is found above it.
  auto r = run(kIndex + " --quiet --db " + quote(db) + " " + quote((site / "content").string()));
  BOOST_REQUIRE_MESSAGE(r.exit == 0, r.err);
  const auto hits = every_heading(db);
  std::size_t checked = 0;
  check_in_public(site, "/", hits, &checked);
  BOOST_TEST(checked == hits.size());
  std::map<std::string, std::string> url_of;
  for (const auto& h : hits) url_of[h.path.substr(h.path.find("content/"))] = h.url;
  BOOST_TEST(url_of["content/de/docs/seite.md"] == "/de/docs/seite.html#equipe-et-cafe");
  BOOST_TEST(url_of["content/en/docs/page.md"] == "/en/docs/page.html#equipe-et-cafe");
  BOOST_TEST(url_of["content/de/docs/_index.md"] == "/de/docs.html#uber--uns");
  // The language of each page is its folder's, for the analysis too.
  r = run(kQuery + " --db " + quote(db) + " --format tsv lang:en level:1..6");
  BOOST_TEST(r.out.find("content/en/docs/page.md") != std::string::npos);
  BOOST_TEST(r.out.find("content/de/") == std::string::npos);
}

// A broken configuration is one warning, and the pages are indexed as plain folders.
BOOST_AUTO_TEST_CASE(a_broken_config_is_a_warning) {
  TempDir t;
  const fs::path site = t.path() / "site";
  t.write("site/hugo.toml", "baseURL = \"https://example.org/\"\n[permalinks\n");
  t.write("site/content/posts/a.md", "---\ntitle: A\n---\n## Heading A\n");
  const std::string db = (t.path() / ".taxon").string();
  auto r = run(kIndex + " --quiet --db " + quote(db) + " " + quote((site / "content").string()));
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.err.find("hugo.toml:2: warning: invalid TOML") != std::string::npos, r.err);
  r = run(kQuery + " --db " + quote(db) + " --format tsv heading");
  BOOST_TEST(r.out.find("/posts/a/#heading-a") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
