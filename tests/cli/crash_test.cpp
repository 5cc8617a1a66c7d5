// SPDX-License-Identifier: MIT
// taxon-index killed with SIGKILL mid-run: the index must open, answer
// queries, and the next run must reach exactly the state of a clean build.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

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

constexpr Xapian::doccount kHeadingsPerPage = 41;

// Runs taxon-index on `content` and kills it with SIGKILL as soon as a
// commit is visible. Returns the documents committed by then, or nullopt
// when the run ended by itself first (or committed everything before the
// kill landed): then it was not killed mid-write.
// How a run is started: its options, and the environment it gets beside ours.
struct Scenario {
  const char* name;
  std::vector<std::string> options;
  std::vector<std::string> env;
};

std::optional<Xapian::doccount> kill_after_first_commit(const std::string& db,
                                                        const std::string& content,
                                                        Xapian::doccount total,
                                                        const Scenario& how) {
  std::vector<std::string> args = {TAXON_INDEX_BIN, "--quiet"};
  args.insert(args.end(), how.options.begin(), how.options.end());
  args.insert(args.end(), {"--db", db, content});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = how.env;
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  BOOST_REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) == 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (committed_docs(db) == 0) {
    if (waitpid(pid, &status, WNOHANG) == pid) return std::nullopt;  // finished first
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  BOOST_REQUIRE(waitpid(pid, &status, 0) == pid);
  // Exited by itself between the last look and the kill.
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) return std::nullopt;
  const auto partial = committed_docs(db);
  BOOST_REQUIRE_MESSAGE(partial > 0u, "nothing committed within 60 s");
  if (partial >= total) return std::nullopt;
  return partial;
}

// Commits every 500 headings a shard, on two threads; and on one thread with
// Xapian told to commit by itself every 100 documents (as it does every
// 10,000 by default), before taxon's own commit: what it wrote then must not
// become visible without the page records that say what it is.
const Scenario kScenarios[] = {
    {"commit every 500", {"--jobs", "2", "--commit-every", "500"}, {}},
    {"Xapian flushes first",
     {"--jobs", "1", "--commit-every", "400"},
     {"XAPIAN_FLUSH_THRESHOLD=100"}},
};

// A run that ends before it is killed tests nothing: the corpus doubles
// until the kill lands mid-write, and the test fails if it never does.
void kill_mid_write(const Scenario& how) {
  int pages = 200;
  for (int attempt = 1; attempt <= 4; ++attempt, pages *= 2) {
    TempDir t;
    write_corpus(t, pages);
    const Xapian::doccount total = static_cast<Xapian::doccount>(pages) * kHeadingsPerPage;
    const std::string db = (t.path() / "db").string();
    const std::string content = (t.path() / "content").string();
    const auto partial = kill_after_first_commit(db, content, total, how);
    if (!partial) {
      BOOST_TEST_MESSAGE("attempt " << attempt << ": " << pages
                                    << " pages were indexed before the kill; doubling");
      continue;
    }
    BOOST_TEST_MESSAGE("documents committed before SIGKILL: " << *partial << " of " << total);

    // The killed index opens and answers.
    taxon::Searcher s(db);
    BOOST_TEST(!s.search("root keyword").hits.empty());

    // The next run completes it; the result equals a clean build.
    auto resume =
        run(std::string(TAXON_INDEX_BIN) + " --quiet --db " + quote(db) + " " + quote(content));
    BOOST_TEST(resume.exit == 0, resume.err);
    // The clean build as the killed run was started (its --jobs made its shards).
    const std::string clean = (t.path() / "clean").string();
    std::string options;
    for (const auto& o : how.options) options += " " + o;
    auto fresh = run(std::string(TAXON_INDEX_BIN) + " --quiet" + options + " --db " + quote(clean) +
                     " " + quote(content));
    BOOST_TEST(fresh.exit == 0, fresh.err);
    BOOST_TEST(committed_docs(db) == total);
    BOOST_TEST(taxon::test::index_fingerprint(db) == taxon::test::index_fingerprint(clean));
    return;
  }
  BOOST_FAIL("taxon-index finished every corpus, up to "
             << pages / 2 << " pages, before it could be killed mid-write: the crash path went "
             << "untested");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_crash)

BOOST_AUTO_TEST_CASE(sigkill_mid_run_loses_nothing_committed) {
  for (const Scenario& how : kScenarios) {
    BOOST_TEST_CONTEXT(how.name) { kill_mid_write(how); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
