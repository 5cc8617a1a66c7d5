// SPDX-License-Identifier: MIT
// Pages written to hurt: front matter that expands without end, special
// files, symbolic links out of the content folder, and text that would drive
// the terminal. Each case runs the real programs under a time limit.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../temp_dir.h"
#include "index/test_hooks.h"
#include "regress.h"
#include "taxon/indexer.h"
#include "taxon/printable.h"

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

// A cap on the address space of the program under test, so that a memory
// blow-up fails fast instead of eating the machine. AddressSanitizer
// reserves terabytes of address space for its shadow memory and cannot run
// under such a cap; there the time limit alone bounds the run.
std::string memory_cap() {
#if defined(__SANITIZE_ADDRESS__)
  return "";
#else
  return "prlimit --as=1073741824 ";
#endif
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
  Run r = run_limited(
      memory_cap() + kIndexBin + " --jobs 1 --db " + quote(s.db) + " " + quote(s.content.string()),
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
  Run r = run_limited(
      memory_cap() + kIndexBin + " --jobs 1 --db " + quote(s.db) + " " + quote(s.content.string()),
      30);
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(lines_with(r.err, "text.md") == 1);
  BOOST_TEST(r.err.find(": front matter holds more than 1048576 bytes of text") !=
             std::string::npos);
  BOOST_TEST(s.query("good").exit == 0);
}

// ---- special files ----

// A page replaced by a FIFO (or by a symbolic link to one) between the walk
// and the read hung the indexer in open(). The library's hook makes the swap
// at exactly that moment. Should the indexer block anyway, the test opens
// the FIFO for writing, which lets the stuck open() return, and fails.
BOOST_AUTO_TEST_CASE(page_replaced_by_fifo_before_read_is_skipped) {
  for (const bool via_link : {false, true}) {
    BOOST_TEST_CONTEXT("replaced by " << (via_link ? "a link to a FIFO" : "a FIFO")) {
      Site s;
      const fs::path page = s.write("a.md", "# Alpha page\n");
      s.write("b.md", "# Beta page\n");
      const fs::path fifo = via_link ? s.t.path() / "content" / "fifo" : page;
      taxon::IndexOptions o;
      o.db = s.db;
      o.jobs = 1;
      const taxon::index::ScopedBeforeReadHook hook([&](const std::string& path) {
        if (path != page.string()) return;
        fs::remove(page);
        // On the indexer's thread: a failure throws, and comes back as a diagnostic.
        if (::mkfifo(fifo.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
        if (via_link) fs::create_symlink(fifo, page);
      });
      std::vector<std::string> diags;
      auto job = std::async(std::launch::async, [&] {
        taxon::Indexer indexer(o);
        return indexer.index({s.content}, {},
                             [&](const taxon::Diagnostic& d) { diags.push_back(d.to_string()); });
      });
      if (job.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) ::close(fd);
        BOOST_ERROR("the indexer blocked opening a FIFO");
      }
      const taxon::IndexSummary sum = job.get();
      BOOST_TEST(sum.added == 1u);
      BOOST_TEST(sum.skipped == 1u);
      BOOST_TEST(diags == std::vector<std::string>{page.string() +
                                                   ": not a regular file (a FIFO), skipped"});
    }
  }
}

// The walk leaves out a FIFO named like a page, and a link to one: the real
// program ends, and indexes the other page.
BOOST_AUTO_TEST_CASE(fifo_pages_in_the_folder_do_not_hang_the_indexer) {
  Site s;
  s.write("good.md", "# Good heading\n");
  BOOST_REQUIRE(::mkfifo((s.content / "x.md").c_str(), 0600) == 0);
  BOOST_REQUIRE(::mkfifo((s.t.path() / "fifo").c_str(), 0600) == 0);
  fs::create_symlink(s.t.path() / "fifo", s.content / "p.md");
  Run r = s.index("", 20);
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit != taxon::test::kTimedOut);
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(s.query("good").exit == 0);
}

// ---- symbolic links ----

// A link to "/" indexed the whole file system, /proc included, and a link to
// a file outside the content folder made it searchable. Links inside the
// indexed folders are still followed, also when the folder is given through
// a link itself; --follow-outside follows the others.
BOOST_AUTO_TEST_CASE(symbolic_links_out_of_the_root_are_not_followed) {
  Site s;
  s.write("good.md", "# Good heading\n");
  s.write("sub/inner.md", "# Inner heading\n");
  s.t.write("outside/secret.md", "# Secret heading\n");
  s.t.write("outside/dir/hidden.md", "# Hidden heading\n");
  fs::create_symlink(s.t.path() / "outside" / "secret.md", s.content / "x.md");
  fs::create_symlink(s.t.path() / "outside" / "dir", s.content / "rootlink");
  fs::create_symlink(s.content / "sub", s.content / "alias");
  fs::create_symlink("sub/inner.md", s.content / "same.md");
  const fs::path via = s.t.path() / "via-link";
  fs::create_symlink(s.content, via);

  for (const bool through_link : {false, true}) {
    BOOST_TEST_CONTEXT("content given " << (through_link ? "through a link" : "as it is")) {
      const std::string root = through_link ? via.string() : s.content.string();
      Run r = run_limited(kIndexBin + " --rebuild --jobs 1 --db " + quote(s.db) + " " + quote(root),
                          30);
      BOOST_TEST_INFO("stderr: " << r.err);
      BOOST_TEST(r.exit == 0);
      const std::string why =
          ": warning: symbolic link leads outside the indexed folders, skipped "
          "(--follow-outside follows it)";
      BOOST_TEST(lines_with(r.err, root + "/x.md" + why) == 1);
      BOOST_TEST(lines_with(r.err, root + "/rootlink" + why) == 1);
      BOOST_TEST(lines_with(r.err, "leads outside") == 2);
      BOOST_TEST(s.query("secret").exit == 1);
      BOOST_TEST(s.query("hidden").exit == 1);
      BOOST_TEST(s.query("good").exit == 0);
      BOOST_TEST(s.query("--json inner").out.find(root + "/alias/inner.md") != std::string::npos);
      BOOST_TEST(s.query("--json inner").out.find(root + "/same.md") != std::string::npos);
    }
  }
  Run r = s.index("--rebuild --follow-outside", 30);
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(r.err.find("leads outside") == std::string::npos);
  BOOST_TEST(s.query("secret").exit == 0);
  BOOST_TEST(s.query("hidden").exit == 0);
}

// A link to itself, or two links to each other, were reported as broken.
BOOST_AUTO_TEST_CASE(symbolic_link_loop_is_reported_as_a_loop) {
  Site s;
  s.write("good.md", "# Good heading\n");
  fs::create_symlink("a.md", s.content / "a.md");
  fs::create_symlink("c.md", s.content / "b.md");
  fs::create_symlink("b.md", s.content / "c.md");
  fs::create_symlink("gone.md", s.content / "broken.md");
  Run r = s.index("", 30);
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_TEST(r.exit == 1);
  const std::string dir = s.content.string() + "/";
  BOOST_TEST(lines_with(r.err, dir + "a.md: symbolic link loop") == 1);
  BOOST_TEST(lines_with(r.err, dir + "b.md: symbolic link loop") == 1);
  BOOST_TEST(lines_with(r.err, dir + "c.md: symbolic link loop") == 1);
  BOOST_TEST(lines_with(r.err, dir + "broken.md: broken symbolic link") == 1);
  BOOST_TEST(s.query("good").exit == 0);
}

// ---- terminal escapes ----

// Raw bytes that would act on a terminal: ESC, BEL, the C1 CSI (0x9b, alone
// or as UTF-8 c2 9b) and the right-to-left override.
bool drives_terminal(const std::string& text) {
  return text.find('\x1b') != std::string::npos || text.find('\x07') != std::string::npos ||
         text.find('\x9b') != std::string::npos || text.find("\xe2\x80\xae") != std::string::npos;
}

// Escape sequences in page text (clear screen, an OSC window title) and a
// control character in a file name reached the terminal through every
// human-readable output. They are escaped visibly there; JSON keeps them.
BOOST_AUTO_TEST_CASE(terminal_escapes_are_shown_not_obeyed) {
  Site s;
  const std::string name = "evil\x1b[31m.md";
  const std::string label = "Title\x1b[2J\xc2\x9b\xe2\x80\xae";
  const std::string keywords = "words\x1b]0;pwned\x07";
  s.write(name, "# " + label + "; " + keywords + "\n\n## Child\x1b[5m heading\n");
  s.write("empty\x01\x1b]0;t\x07\xff.md", "");
  Run ix = s.index();
  BOOST_TEST_INFO("stderr: " << ix.err);
  BOOST_TEST(ix.exit == 1);
  BOOST_TEST(!drives_terminal(ix.err));
  BOOST_TEST(lines_with(ix.err, "/empty\\x01\\x1b]0;t\\x07\\xff.md: empty file") == 1);

  const std::string shown_label = "Title\\x1b[2J\\u009b\\u202e";
  const std::string shown_keywords = "words\\x1b]0;pwned\\x07";
  const std::string shown_name = "evil\\x1b[31m.md";
  for (const std::string form : {"", "--tree", "--format tsv"}) {
    BOOST_TEST_CONTEXT("taxon-query " << form) {
      Run q = s.query(form + " words");
      BOOST_TEST(q.exit == 0);
      BOOST_TEST(!drives_terminal(q.out));
      BOOST_TEST(!drives_terminal(q.err));
      BOOST_TEST(q.out.find(shown_label) != std::string::npos, taxon::printable(q.out));
      BOOST_TEST(q.out.find(shown_name) != std::string::npos, taxon::printable(q.out));
      if (form != "--tree")
        BOOST_TEST(q.out.find(shown_keywords) != std::string::npos, taxon::printable(q.out));
      Run child = s.query(form + " child");
      BOOST_TEST(!drives_terminal(child.out));
      BOOST_TEST(child.out.find("Child\\x1b[5m heading") != std::string::npos,
                 taxon::printable(child.out));
    }
  }
  Run j = s.query("--json words");
  BOOST_TEST(j.exit == 0);
  BOOST_TEST(j.out.find("\\u001b[2J") != std::string::npos);
  const auto doc = nlohmann::json::parse(j.out);
  BOOST_REQUIRE(!doc.at("hits").empty());
  const auto& hit = doc.at("hits").at(0);
  BOOST_TEST(hit.at("label").get<std::string>() == label);
  BOOST_TEST(hit.at("keywords").get<std::string>() == keywords);
  BOOST_TEST(hit.at("path").get<std::string>() == (s.content / name).string());
}

BOOST_AUTO_TEST_CASE(printable_escapes_what_acts_on_a_terminal) {
  using taxon::printable;
  BOOST_TEST(printable("plain text, caf\xc3\xa9 \xe2\x80\x94 \\ ok") ==
             "plain text, caf\xc3\xa9 \xe2\x80\x94 \\ ok");
  BOOST_TEST(printable("a\x1b[2J\tb\nc\x7f") == "a\\x1b[2J\\x09b\\x0ac\\x7f");
  BOOST_TEST(printable("\xc2\x9b\xc2\x80\xc2\xa0") == "\\u009b\\u0080\xc2\xa0");
  BOOST_TEST(printable("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8e") ==
             "\\u202a\\u202e\\u2066\\u2069\xe2\x80\x8e");
  BOOST_TEST(printable("bad\xff\x9b\xc3") == "bad\\xff\\x9b\\xc3");
  BOOST_TEST(printable(std::string("nul\0", 4)) == "nul\\x00");
}

BOOST_AUTO_TEST_SUITE_END()
