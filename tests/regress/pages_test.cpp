// SPDX-License-Identifier: MIT
// Pages written to hurt: front matter that expands without end, special
// files, symbolic links out of the content folder, and text that would drive
// the terminal. Each case runs the real programs under a time limit.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../temp_dir.h"
#include "regress.h"

namespace fs = std::filesystem;
using taxon::test::kIndexBin;
using taxon::test::kQueryBin;
using taxon::test::quote;
using taxon::test::Run;
using taxon::test::run_limited;
using taxon::test::TempDir;

namespace {

// A content folder and an index beside it.
struct Site {
  TempDir t;
  fs::path content = t.path() / "content";
  std::string db = (t.path() / "db").string();

  Site() { fs::create_directories(content); }

  fs::path write(const std::string& rel, const std::string& text) const {
    return t.write("content/" + rel, text);
  }

  // taxon-index on the content folder, in one shard (one writer thread) so
  // that an address-space limit leaves the usual room for the index itself.
  Run index(const std::string& args = "", int seconds = 60) const {
    return run_limited(
        kIndexBin + " --jobs 1 --db " + quote(db) + " " + args + " " + quote(content.string()),
        seconds);
  }

  Run query(const std::string& args) const {
    return run_limited(kQueryBin + " --db " + quote(db) + " " + args, 30);
  }
};

// Lines of `text` that contain `needle`.
int lines_with(const std::string& text, const std::string& needle) {
  int n = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.substr(start, end - start).find(needle) != std::string::npos) ++n;
    start = end + 1;
  }
  return n;
}

// "a: &a [lol, ...]", then each level an anchored list of nine aliases of the
// level before: nine levels are 9^9 values from under 400 bytes.
std::string alias_bomb() {
  std::string yaml = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string prev = "*" + std::string(1, static_cast<char>(c - 1));
    yaml += std::string(1, c) + ": &" + std::string(1, c) + " [";
    for (int k = 0; k < 9; ++k) yaml += (k ? "," : "") + prev;
    yaml += "]\n";
  }
  return "---\n" + yaml + "---\n# Bomb\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(regress_pages)

// Expanding nested aliases took 64 s and 8 GB before std::bad_alloc. Under a
// 1 GiB address-space limit the page must be refused by the value limit, in
// one diagnostic, and the other page still indexed.
BOOST_AUTO_TEST_CASE(yaml_alias_bomb_is_refused_quickly) {
  Site s;
  const std::string bomb = alias_bomb();
  BOOST_TEST(bomb.size() < 400u);
  s.write("bomb.md", bomb);
  s.write("good.md", "# Good heading\n");
  Run r = run_limited("prlimit --as=1073741824 " + kIndexBin + " --jobs 1 --db " + quote(s.db) +
                          " " + quote(s.content.string()),
                      30);
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(lines_with(r.err, "bomb.md") == 1);
  BOOST_TEST(lines_with(r.err, "bomb.md:") == 1);
  BOOST_TEST(r.err.find(": front matter has more than 100000 values") != std::string::npos);
  BOOST_TEST(s.query("good").exit == 0);
  BOOST_TEST(s.query("bomb").exit == 1);
}

// Front matter over the byte limit is refused before a parser sees it.
BOOST_AUTO_TEST_CASE(huge_front_matter_is_refused) {
  Site s;
  s.write("big.md",
          "---\ntitle: Big\ndescription: " + std::string(2u << 20, 'x') + "\n---\n# Big page\n");
  s.write("big.toml.md", "+++\ntitle = \"Big\"\ndescription = \"" + std::string(2u << 20, 'x') +
                             "\"\n+++\n# Big page\n");
  s.write("good.md", "# Good heading\n");
  Run r = s.index();
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(lines_with(r.err, "big.md:1: front matter of ") == 1);
  BOOST_TEST(lines_with(r.err, "big.toml.md:1: front matter of ") == 1);
  BOOST_TEST(r.err.find("bytes is over the limit of 1048576 bytes") != std::string::npos);
  BOOST_TEST(s.query("good").exit == 0);
  BOOST_TEST(s.query("big").exit == 1);
}

// One long string used through aliases under long keys: few values, but
// gigabytes of text once copied; refused by the byte limit on expanded text.
BOOST_AUTO_TEST_CASE(yaml_alias_text_bomb_is_refused) {
  Site s;
  std::string yaml = "s: &s " + std::string(200000, 'x') + "\nl: &l [";
  for (int k = 0; k < 1000; ++k) yaml += (k ? ", " : "") + std::string("*s");
  yaml += "]\nm: [";
  for (int k = 0; k < 1000; ++k) yaml += (k ? ", " : "") + std::string("*l");
  yaml += "]\n";
  s.write("text.md", "---\n" + yaml + "---\n# Text bomb\n");
  s.write("good.md", "# Good heading\n");
  Run r = run_limited("prlimit --as=1073741824 " + kIndexBin + " --jobs 1 --db " + quote(s.db) +
                          " " + quote(s.content.string()),
                      30);
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(lines_with(r.err, "text.md") == 1);
  BOOST_TEST(r.err.find(": front matter holds more than 1048576 bytes of text") !=
             std::string::npos);
  BOOST_TEST(s.query("good").exit == 0);
}

BOOST_AUTO_TEST_SUITE_END()
