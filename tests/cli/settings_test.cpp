// SPDX-License-Identifier: MIT
// Settings that shape an index are stored in it and reused; taxon.toml sets
// defaults for both programs; the command line wins over both.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "process.h"

namespace fs = std::filesystem;
using taxon::test::quote;
using taxon::test::run;
using taxon::test::TempDir;

namespace {

const std::string kIndex = TAXON_INDEX_BIN;
const std::string kQuery = TAXON_QUERY_BIN;

const char* kPage =
    "---\ntitle: P\n---\n{{< callout >}}\n## Inside callout\n{{< /callout >}}\n## Outside\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_settings)

BOOST_AUTO_TEST_CASE(shaping_options_are_stored_and_a_change_reads_every_page) {
  TempDir t;
  t.write("content/p.md", kPage);
  const std::string in = "cd " + quote(t.path().string()) + " && ";
  auto r = run(in + kIndex + " --no-config --map-shortcode callout content");
  BOOST_REQUIRE_MESSAGE(r.exit == 0, r.err);
  BOOST_TEST(run(in + kQuery + " --no-config -c inside").out == "1\n");
  // Edited and indexed again without the flag: the stored one still holds.
  t.write("content/p.md", std::string(kPage) + "## Edited\n");
  r = run(in + kIndex + " --no-config content");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.err.find("setting changed") == std::string::npos, r.err);
  BOOST_TEST(run(in + kQuery + " --no-config -c inside").out == "1\n");
  // A changed flag on an unchanged tree is said and rewrites the page.
  r = run(in + kIndex + " --no-config --map-shortcode jsvis-map1 content");
  BOOST_TEST(r.err.find("--map-shortcode callout -> jsvis-map1") != std::string::npos, r.err);
  BOOST_TEST(r.out.find("every page was read again") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("1 updated") != std::string::npos, r.out);
  BOOST_TEST(run(in + kQuery + " --no-config -c inside").out == "0\n");
  r = run(in + kIndex + " --no-config --json content");
  BOOST_TEST(r.out.find("\"wrote\":false") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(taxon_toml_sets_defaults_found_upward) {
  TempDir t;
  t.write("content/p.md", kPage);
  t.write("taxon.toml",
          "[index]\npaths = [\"content\"]\nmap-shortcode = [\"callout\"]\n"
          "[query]\nlimit = 1\nformat = \"tsv\"\n");
  fs::create_directories(t.path() / "content/sub");
  const std::string in = "cd " + quote(t.path().string()) + " && ";
  // No folder given: [index] paths, relative to the file.
  auto r = run(in + kIndex);
  BOOST_REQUIRE_MESSAGE(r.exit == 0, r.err);
  // From a folder below: the file is found upward; --limit 1 and TSV from it.
  const std::string below = "cd " + quote((t.path() / "content/sub").string()) + " && ";
  r = run(below + kQuery + " inside OR outside");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  BOOST_TEST(r.out.find('\t') != std::string::npos);
  // The command line wins; --no-config leaves the file out.
  r = run(below + kQuery + " --limit 2 inside OR outside");
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  r = run(below + kQuery + " --no-config --format tsv inside OR outside");
  BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  // A setting that could delete or reach out is refused, with its line.
  t.write("taxon.toml", "[index]\nrebuild = true\n");
  r = run(in + kIndex);
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err.find("taxon.toml:2: [index] rebuild: not a setting") != std::string::npos,
             r.err);
  t.write("taxon.toml", "[query]\nallow-remote = true\n");
  r = run(in + kQuery + " inside");
  BOOST_TEST(r.exit == 2);
}

BOOST_AUTO_TEST_SUITE_END()
