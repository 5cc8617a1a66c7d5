// SPDX-License-Identifier: MIT
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "taxon/page.h"

using taxon::Diagnostic;
using taxon::parse_page;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> labels(const taxon::Page& p) {
  std::vector<std::string> out;
  for (const auto& h : p.headings) out.push_back(h.label);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(page_parser)

BOOST_AUTO_TEST_CASE(seed_page_gives_tree_numbers_keywords_and_lines) {
  const std::string path =
      std::string(TAXON_DATA_DIR) +
      "/maps/stakeholders/international-entities/international-space-consortium.md";
  auto r = parse_page(read_file(path), path);
  BOOST_REQUIRE(r.ok);
  const auto& hs = r.page.headings;
  BOOST_REQUIRE_EQUAL(hs.size(), 40u);
  BOOST_TEST(hs[0].label == "International Space Consortium");
  BOOST_TEST(hs[0].keywords == "international space consortium collaboration partnership");
  BOOST_TEST(hs[0].parent == -1);
  BOOST_TEST(hs[0].shortcode == "jsvis-map1");
  BOOST_TEST(hs[0].line == 10);
  // "#### Debris Mitigation" on line 44 under "### 3.2 Security Interests".
  auto it = std::find_if(hs.begin(), hs.end(),
                         [](const auto& h) { return h.label == "Debris Mitigation"; });
  BOOST_REQUIRE(it != hs.end());
  BOOST_TEST(it->line == 44);
  BOOST_TEST(it->level == 4);
  BOOST_TEST(it->number.empty());
  BOOST_TEST(it->keywords == "consortium space debris mitigation cleanup initiatives");
  const auto crumbs = r.page.breadcrumb(static_cast<std::size_t>(it - hs.begin()));
  BOOST_REQUIRE_EQUAL(crumbs.size(), 4u);
  BOOST_TEST(crumbs[0] == "International Space Consortium");
  BOOST_TEST(crumbs[1] == "3. Strategic Objectives");
  BOOST_TEST(crumbs[2] == "3.2 Security Interests");
  BOOST_TEST(crumbs[3] == "Debris Mitigation");
  BOOST_TEST(r.page.front.title == "international space consortium");
  BOOST_TEST(r.page.front.categories == std::vector<std::string>{"stakeholders"});
  BOOST_TEST(r.page.front.tags == std::vector<std::string>{"international-entities"});
  BOOST_TEST(!r.page.front.draft);
}

BOOST_AUTO_TEST_CASE(section_numbers_are_kept_apart_from_labels) {
  auto r = parse_page("# 1. One; k\n## 1.1 Two\n### 3.2.1 Three\n## 2001 Space Odyssey\n## 4.\n",
                      "n.md");
  BOOST_REQUIRE(r.ok);
  const auto& hs = r.page.headings;
  BOOST_TEST(hs[0].number == "1.");
  BOOST_TEST(hs[0].label == "One");
  BOOST_TEST(hs[1].number == "1.1");
  BOOST_TEST(hs[1].label == "Two");
  BOOST_TEST(hs[2].number == "3.2.1");
  BOOST_TEST(hs[2].label == "Three");
  BOOST_TEST(hs[3].number.empty());  // a bare integer is part of the label
  BOOST_TEST(hs[3].label == "2001 Space Odyssey");
  BOOST_TEST(hs[4].label == "4.");  // nothing but a number stays the label
}

BOOST_AUTO_TEST_CASE(no_semicolon_means_no_keywords_and_split_is_on_first) {
  auto r = parse_page("# Plain heading\n## A; b; c\n", "s.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.headings[0].label == "Plain heading");
  BOOST_TEST(r.page.headings[0].keywords.empty());
  BOOST_TEST(r.page.headings[1].label == "A");
  BOOST_TEST(r.page.headings[1].keywords == "b; c");
}

BOOST_AUTO_TEST_CASE(code_fences_and_html_blocks_hold_no_headings) {
  const std::string md =
      "# Real\n\n```sh\n# not a heading\n## nor this\n```\n\n~~~\n# nor this\n~~~\n\n"
      "<div>\n# inside html\n</div>\n\n    # indented code\n\n## Also real\n";
  auto r = parse_page(md, "c.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(labels(r.page) == (std::vector<std::string>{"Real", "Also real"}));
  BOOST_TEST(r.page.headings[1].line == 18);
}

BOOST_AUTO_TEST_CASE(setext_headings_are_headings) {
  auto r = parse_page("Title; words\n=====\n\ntext\n\nSub\n---\n", "x.md");
  BOOST_REQUIRE(r.ok);
  BOOST_REQUIRE_EQUAL(r.page.headings.size(), 2u);
  BOOST_TEST(r.page.headings[0].label == "Title");
  BOOST_TEST(r.page.headings[0].keywords == "words");
  BOOST_TEST(r.page.headings[0].level == 1);
  BOOST_TEST(r.page.headings[0].line == 1);
  BOOST_TEST(r.page.headings[1].level == 2);
  BOOST_TEST(r.page.headings[1].line == 6);
  BOOST_TEST(r.page.headings[1].parent == 0);
}

BOOST_AUTO_TEST_CASE(skipped_levels_and_several_h1s_build_the_tree) {
  auto r = parse_page("# A\n#### A1\n## A2\n# B\n### B1\n", "t.md");
  BOOST_REQUIRE(r.ok);
  const auto& hs = r.page.headings;
  BOOST_TEST(hs[0].parent == -1);
  BOOST_TEST(hs[1].parent == 0);  // H4 straight under H1
  BOOST_TEST(hs[2].parent == 0);  // H2 after an H4: back under A
  BOOST_TEST(hs[3].parent == -1);
  BOOST_TEST(hs[4].parent == 3);
}

BOOST_AUTO_TEST_CASE(inline_markup_is_stripped) {
  auto r = parse_page("# **Bold** and `code` and [link](http://x) &amp; _em_\n", "m.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.headings[0].label == "Bold and code and link & em");
}

BOOST_AUTO_TEST_CASE(page_without_h1_hangs_under_its_title) {
  auto r =
      parse_page("---\ntitle: Content summaries\n---\n\n## Manual summary\n### Detail\n", "h.md");
  BOOST_REQUIRE(r.ok);
  const auto& hs = r.page.headings;
  BOOST_REQUIRE_EQUAL(hs.size(), 3u);
  BOOST_TEST(hs[0].label == "Content summaries");
  BOOST_TEST(hs[0].from_title);
  BOOST_TEST(hs[0].line == 2);
  BOOST_TEST(hs[1].parent == 0);
  BOOST_TEST(hs[2].parent == 1);
  BOOST_TEST(hs[1].line == 5);
}

BOOST_AUTO_TEST_CASE(crlf_and_bom_are_handled) {
  auto r = parse_page("\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\n# One; a b\r\n## Two\r\n", "w.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.front.title == "T");
  BOOST_REQUIRE_EQUAL(r.page.headings.size(), 2u);
  BOOST_TEST(r.page.headings[0].label == "One");
  BOOST_TEST(r.page.headings[0].keywords == "a b");
  BOOST_TEST(r.page.headings[1].line == 5);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_an_error_with_its_line) {
  auto r = parse_page("# ok\n\n# bad \xC3\x28 here\n", "bad.md");
  BOOST_TEST(!r.ok);
  BOOST_REQUIRE_EQUAL(r.diagnostics.size(), 1u);
  BOOST_TEST(r.diagnostics[0].line == 3);
  BOOST_TEST(r.diagnostics[0].to_string().find("bad.md:3: invalid UTF-8") == 0);
}

BOOST_AUTO_TEST_CASE(binary_and_empty_files_are_errors) {
  auto bin = parse_page(std::string("# a\n\0\x01\x02", 7), "b.bin");
  BOOST_TEST(!bin.ok);
  BOOST_REQUIRE(!bin.diagnostics.empty());
  BOOST_TEST(bin.diagnostics[0].message.find("binary") != std::string::npos);
  auto empty = parse_page("", "e.md");
  BOOST_TEST(!empty.ok);
  BOOST_REQUIRE(!empty.diagnostics.empty());
  BOOST_TEST(empty.diagnostics[0].message == "empty file");
  auto blank = parse_page("  \n\n", "e.md");
  BOOST_TEST(!blank.ok);
}

BOOST_AUTO_TEST_CASE(shortcodes_are_recorded_or_opaque) {
  const std::string md =
      "{{< jsvis-map1 \"white\" \"\" >}}\n# Map root; k\n{{< /jsvis-map1 >}}\n\n"
      "{{< highlight go >}}\n# a comment in code\n{{< /highlight >}}\n\n"
      "{{% note %}}\n## In a markdown shortcode\n{{% /note %}}\n\n"
      "{{< figure src=\"x.png\" >}}\n\n## After\n\n"
      "Literal {{</* highlight */>}} in text.\n";
  auto r = parse_page(md, "s.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(labels(r.page) ==
             (std::vector<std::string>{"Map root", "In a markdown shortcode", "After"}));
  BOOST_TEST(r.page.headings[0].shortcode == "jsvis-map1");
  BOOST_TEST(r.page.headings[1].shortcode == "note");
  BOOST_TEST(r.page.headings[2].shortcode.empty());
}

BOOST_AUTO_TEST_CASE(map_shortcode_set_is_configurable) {
  taxon::ParseOptions opts;
  opts.map_shortcodes = {"mindmap"};
  auto r = parse_page(
      "{{< mindmap >}}\n# Inside\n{{< /mindmap >}}\n{{< jsvis-map1 >}}\n# Hidden\n{{< /jsvis-map1 "
      ">}}\n",
      "s.md", opts);
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(labels(r.page) == std::vector<std::string>{"Inside"});
}

BOOST_AUTO_TEST_CASE(unbalanced_closing_shortcode_is_an_error) {
  auto r = parse_page("# A\n\ntext\n{{< /details >}}\n", "u.md");
  BOOST_TEST(!r.ok);
  BOOST_REQUIRE(!r.diagnostics.empty());
  BOOST_TEST(r.diagnostics[0].line == 4);
  BOOST_TEST(r.diagnostics[0].message.find("details") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(long_heading_is_cut_with_a_warning) {
  std::string md = "# " + std::string(100000, 'a') + "\n## next\n";
  auto r = parse_page(md, "l.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.headings[0].label.size() <= taxon::ParseOptions{}.max_heading_bytes);
  BOOST_REQUIRE_EQUAL(r.diagnostics.size(), 1u);
  BOOST_TEST((r.diagnostics[0].severity == Diagnostic::Severity::Warning));
  BOOST_TEST(r.diagnostics[0].line == 1);
}

BOOST_AUTO_TEST_CASE(ten_thousand_headings_in_one_page) {
  std::string md = "# Root\n";
  for (int i = 0; i < 10000; ++i)
    md += "## Heading " + std::to_string(i) + "; words " + std::to_string(i) + "\n";
  auto r = parse_page(md, "big.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.headings.size() == 10001u);
  BOOST_TEST(r.page.headings.back().line == 10001);
}

BOOST_AUTO_TEST_CASE(heading_attributes_are_not_text) {
  auto r = parse_page(
      "# Syntax highlighting {#syntax-highlighting-asciidoc}\n## Styled {.note}\n## Set {x=1}\n## "
      "Braces {kept}\n",
      "a.md");
  BOOST_REQUIRE(r.ok);
  const auto& hs = r.page.headings;
  BOOST_TEST(hs[0].label == "Syntax highlighting");
  BOOST_TEST(hs[0].anchor == "syntax-highlighting-asciidoc");
  BOOST_TEST(hs[1].label == "Styled");
  BOOST_TEST(hs[1].anchor == "styled");
  BOOST_TEST(hs[2].label == "Set");
  BOOST_TEST(hs[3].label == "Braces {kept}");
}

BOOST_AUTO_TEST_CASE(hugo_anchors_follow_github_style) {
  BOOST_TEST(taxon::hugo_anchor("Debris Mitigation; consortium space") ==
             "debris-mitigation-consortium-space");
  BOOST_TEST(taxon::hugo_anchor("3.2 Security Interests") == "32-security-interests");
  BOOST_TEST(taxon::hugo_anchor("Café & Crème") == "café--crème");
  auto r = parse_page("# A\n## Same\n## Same\n", "a.md");
  BOOST_TEST(r.page.headings[1].anchor == "same");
  BOOST_TEST(r.page.headings[2].anchor == "same-1");
}

// Each expected anchor is what hugo 0.111 wrote into public/ for the heading.
BOOST_AUTO_TEST_CASE(hugo_anchors_match_hugo_for_every_style) {
  using taxon::AnchorStyle;
  BOOST_TEST(taxon::hugo_anchor("\xc3\x89quipe et caf\xc3\xa9") == "\xc3\xa9quipe-et-caf\xc3\xa9");
  BOOST_TEST(taxon::hugo_anchor("\xf0\x9f\x9a\x80 Rocket launch \xf0\x9f\x9a\x80") ==
             "-rocket-launch-");
  BOOST_TEST(taxon::hugo_anchor("Tab\there  two   spaces") == "tabhere--two---spaces");
  BOOST_TEST(taxon::hugo_anchor("C++ & Go: 100% (ok)") == "c--go-100-ok");
  BOOST_TEST(taxon::hugo_anchor("snake_case and dash-name") == "snake_case-and-dash-name");
  BOOST_TEST(taxon::hugo_anchor("\xc3\x89quipe et caf\xc3\xa9", AnchorStyle::GitHubAscii) ==
             "equipe-et-cafe");
  BOOST_TEST(taxon::hugo_anchor("\xc3\x9c"
                                "ber \xf0\x9f\x9a\x80 uns",
                                AnchorStyle::GitHubAscii) == "uber--uns");
  BOOST_TEST(taxon::hugo_anchor("\xc3\x9c"
                                "ber \xf0\x9f\x9a\x80 uns",
                                AnchorStyle::Blackfriday) ==
             "\xc3\xbc"
             "ber-uns");
  BOOST_TEST(taxon::hugo_anchor("Same", AnchorStyle::None).empty());
  // Repeats are numbered; a heading with nothing left is "heading"; the
  // anchor keeps the spaces the label loses.
  auto r = parse_page("# \xf0\x9f\x9a\x80\n## A  b\n## A  b {.c}\n", "a.md");
  BOOST_TEST_REQUIRE(r.page.headings.size() == 3u);
  BOOST_TEST(r.page.headings[0].anchor == "heading");
  BOOST_TEST(r.page.headings[1].label == "A b");
  BOOST_TEST(r.page.headings[1].anchor == "a--b");
  BOOST_TEST(r.page.headings[2].anchor == "a--b-1");
  taxon::ParseOptions none;
  none.anchors = AnchorStyle::None;
  r = parse_page("# A\n## B {#b}\n", "a.md", none);
  BOOST_TEST(r.page.headings[0].anchor.empty());
  BOOST_TEST(r.page.headings[1].anchor == "b");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(front_matter)

BOOST_AUTO_TEST_CASE(yaml_front_matter) {
  auto r = parse_page(
      "---\ntitle: \"Hello\"\ncategories: [a, b]\ntags: one\ndraft: true\nlang: fr\nslug: "
      "s\nweight: 3\n"
      "custom: value\nparams:\n  nested: x\n---\n# H\n",
      "y.md");
  BOOST_REQUIRE(r.ok);
  const auto& f = r.page.front;
  BOOST_TEST(f.title == "Hello");
  BOOST_TEST(f.categories == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST(f.tags == std::vector<std::string>{"one"});
  BOOST_TEST(f.draft);
  BOOST_TEST(f.lang == "fr");
  BOOST_TEST(f.slug == "s");
  BOOST_TEST(f.weight == 3);
  BOOST_TEST(f.params.at("custom") == "value");
  BOOST_TEST(f.params.at("params.nested") == "x");
  BOOST_TEST(r.page.headings[0].line == 13);
}

BOOST_AUTO_TEST_CASE(toml_front_matter) {
  auto r = parse_page(
      "+++\ntitle = 'Toml page'\ntags = ['x', 'y']\ndate = 2024-05-26T09:10:33-07:00\ndraft = "
      "false\n+++\n\n## Sub\n",
      "t.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.front.title == "Toml page");
  BOOST_TEST(r.page.front.tags == (std::vector<std::string>{"x", "y"}));
  BOOST_TEST(!r.page.front.date.empty());
  // No H1: the title is the root.
  BOOST_TEST(r.page.headings[0].label == "Toml page");
  BOOST_TEST(r.page.headings[1].line == 8);
}

BOOST_AUTO_TEST_CASE(json_front_matter) {
  auto r = parse_page(
      "{\n  \"title\": \"Json page\",\n  \"categories\": [\"c\"],\n  \"note\": \"a } brace\"\n}\n# "
      "Head\n",
      "j.md");
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.page.front.title == "Json page");
  BOOST_TEST(r.page.front.categories == std::vector<std::string>{"c"});
  BOOST_TEST(r.page.headings[0].line == 6);
}

BOOST_AUTO_TEST_CASE(unterminated_front_matter_is_an_error) {
  auto y = parse_page("---\ntitle: x\n# H\n", "u.md");
  BOOST_TEST(!y.ok);
  BOOST_REQUIRE(!y.diagnostics.empty());
  BOOST_TEST(y.diagnostics[0].to_string() ==
             "u.md:1: unterminated YAML front matter: no closing '---' line");
  auto t = parse_page("+++\ntitle = 'x'\n", "u.md");
  BOOST_TEST(!t.ok);
  auto j = parse_page("{\"title\": \"x\"\n# H\n", "u.md");
  BOOST_TEST(!j.ok);
}

BOOST_AUTO_TEST_CASE(front_matter_limits_are_options) {
  taxon::ParseOptions opts;
  opts.max_front_matter_values = 5;
  auto many = parse_page("---\ntitle: x\nlist: [1, 2, 3, 4, 5]\n---\n# H\n", "v.md", opts);
  BOOST_TEST(!many.ok);
  BOOST_REQUIRE_EQUAL(many.diagnostics.size(), 1u);
  BOOST_TEST(
      many.diagnostics[0].to_string().rfind("v.md:3: front matter has more than 5 values", 0) == 0);
  opts = {};
  opts.max_front_matter_bytes = 10;
  auto big = parse_page("+++\ntitle = 'a long title'\n+++\n# H\n", "b.md", opts);
  BOOST_TEST(!big.ok);
  BOOST_REQUIRE(!big.diagnostics.empty());
  BOOST_TEST(big.diagnostics[0].to_string() ==
             "b.md:1: front matter of 23 bytes is over the limit of 10 bytes");
  opts = {};
  opts.max_front_matter_depth = 2;
  auto deep = parse_page("{\"a\": [[[1]]]}\n# H\n", "d.md", opts);
  BOOST_TEST(!deep.ok);
  BOOST_REQUIRE(!deep.diagnostics.empty());
  BOOST_TEST(deep.diagnostics[0].message.rfind("front matter nested too deeply", 0) == 0);
  // The defaults leave real front matter alone.
  BOOST_TEST(parse_page("---\ntitle: x\nlist: [1, 2, 3, 4, 5]\n---\n# H\n", "v.md").ok);
}

// Every flattened param repeats the keys above it: a long key over many
// small values would cost key size times values.
BOOST_AUTO_TEST_CASE(flattened_params_are_bounded) {
  std::string toml = "[" + std::string(300000, 'k') + "]\n";
  for (int i = 0; i < 50; ++i) toml += "v" + std::to_string(i) + " = 1\n";
  auto r = parse_page("+++\n" + toml + "+++\n# H\n", "p.md");
  BOOST_TEST(!r.ok);
  BOOST_REQUIRE(!r.diagnostics.empty());
  BOOST_TEST(r.diagnostics[0].message.rfind("front matter params come to more than", 0) == 0,
             r.diagnostics[0].message);
}

BOOST_AUTO_TEST_CASE(broken_front_matter_reports_its_line) {
  auto y = parse_page("---\ntitle: ok\nbad: [unclosed\n---\n# H\n", "b.md");
  BOOST_TEST(!y.ok);
  BOOST_REQUIRE(!y.diagnostics.empty());
  BOOST_TEST(y.diagnostics[0].line >= 3);
  auto t = parse_page("+++\ntitle = 'ok'\nthis is not toml\n+++\n", "b.md");
  BOOST_TEST(!t.ok);
  BOOST_REQUIRE(!t.diagnostics.empty());
  BOOST_TEST(t.diagnostics[0].line == 3);
}

BOOST_AUTO_TEST_CASE(wrong_types_are_errors_with_lines) {
  auto r = parse_page("---\ntitle: x\ntags: 5\n---\n# H\n", "w.md");
  BOOST_TEST(!r.ok);
  BOOST_REQUIRE(!r.diagnostics.empty());
  BOOST_TEST(r.diagnostics[0].to_string() ==
             "w.md:3: tags must be a string or a list of strings, not a number");
  auto t = parse_page("+++\ntitle = ['a']\n+++\n", "w.md");
  BOOST_TEST(!t.ok);
  BOOST_REQUIRE(!t.diagnostics.empty());
  BOOST_TEST(t.diagnostics[0].line == 2);
  auto d = parse_page("---\ndraft: maybe\n---\n", "w.md");
  BOOST_TEST(!d.ok);
}

BOOST_AUTO_TEST_SUITE_END()
