// SPDX-License-Identifier: MIT
// taxon-index killed with SIGKILL mid-run: the index must open, answer
// queries, and the next run must reach exactly the state of a clean build.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <xapian.h>

#include "../index_fingerprint.h"
#include "process.h"
#include "taxon/searcher.h"

extern char** environ;

using taxon::test::quote;
using taxon::test::run;
using taxon::test::TempDir;

namespace {

// Writes `pages` pages of about 40 headings each.
void write_corpus(const TempDir& t, int pages) {
  for (int p = 0; p < pages; ++p) {
    std::string md =
        "---\ntitle: page " + std::to_string(p) + "\ntags: [t" + std::to_string(p % 7) + "]\n---\n";
    md += "# Topic " + std::to_string(p) + "; root keyword words\n";
    for (int a = 1; a <= 4; ++a) {
      md += "## " + std::to_string(a) + ". Branch " + std::to_string(a) + "; branch words w" +
            std::to_string(p) + "\n";
      for (int b = 1; b <= 3; ++b) {
        md += "### " + std::to_string(a) + "." + std::to_string(b) + " Sub; sub words x" +
              std::to_string(b) + "\n";
        for (int c = 0; c < 2; ++c)
          md += "#### Leaf " + std::to_string(c) + "; leaf words y" + std::to_string(c) + "\n";
      }
    }
    t.write("content/d" + std::to_string(p % 10) + "/p" + std::to_string(p) + ".md", md);
  }
}

Xapian::doccount committed_docs(const std::string& db) {
  try {
    return taxon::test::open_index(db).get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_crash)

BOOST_AUTO_TEST_CASE(sigkill_mid_run_loses_nothing_committed) {
  TempDir t;
  write_corpus(t, 1500);  // 61,500 headings (41 a page)
  const std::string db = (t.path() / "db").string();
  const std::string content = (t.path() / "content").string();

  std::vector<std::string> args = {TAXON_INDEX_BIN, "--quiet", "--jobs", "2",    "--commit-every",
                                   "2000",          "--db",    db,       content};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  BOOST_REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  // Kill it once something is committed, well before the end.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool exited = false;
  while (committed_docs(db) == 0 && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  const auto partial = committed_docs(db);
  BOOST_TEST_MESSAGE("documents committed before SIGKILL: " << partial << " of 61500");
  BOOST_TEST(partial > 0u);
  BOOST_WARN(partial < 61500u);  // on a very fast machine the run may finish first

  // The killed index opens and answers.
  taxon::Searcher s(db);
  BOOST_TEST(!s.search("root keyword").hits.empty());

  // The next run completes it; the result equals a clean build.
  auto resume =
      run(std::string(TAXON_INDEX_BIN) + " --quiet --db " + quote(db) + " " + quote(content));
  BOOST_TEST(resume.exit == 0);
  const std::string clean = (t.path() / "clean").string();
  auto fresh = run(std::string(TAXON_INDEX_BIN) + " --quiet --jobs 2 --db " + quote(clean) + " " +
                   quote(content));
  BOOST_TEST(fresh.exit == 0);
  BOOST_TEST(committed_docs(db) == 61500u);
  BOOST_TEST(taxon::test::index_fingerprint(db) == taxon::test::index_fingerprint(clean));
}

BOOST_AUTO_TEST_SUITE_END()
