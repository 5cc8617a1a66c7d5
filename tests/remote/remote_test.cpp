// SPDX-License-Identifier: MIT
// Queries over Xapian's remote backend: data/ indexed in three shards, each
// served by a real xapian-tcpsrv on a loopback port, must answer every
// query of the relevance suites and every operator and field exactly as
// the same shards opened locally; a shard that is down or stops answering
// is an error naming it, or is left out with --allow-partial.
#define BOOST_TEST_MODULE taxon remote tests
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../cli/process.h"
#include "../temp_dir.h"
#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/searcher.h"

using taxon::test::quote;
using taxon::test::TempDir;

namespace {

const std::string kDataDir = TAXON_DATA_DIR;
const std::string kQueryBin = TAXON_QUERY_BIN;
constexpr std::size_t kShards = 3;

// A loopback port free now (the kernel's choice).
unsigned free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    BOOST_FAIL("no free loopback port");
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts(unsigned port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// A child process and what it forks, killed (and the child reaped) when this goes.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);  // its own group: stop() ends the connections it forked too
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);  // xapian-tcpsrv reports each closed connection
      ::dup2(null, 2);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// xapian-tcpsrv serving one database on a loopback port, ready to answer.
struct TcpServer {
  unsigned port = 0;
  std::unique_ptr<Child> child;
  explicit TcpServer(const std::string& db) {
    for (int attempt = 0; attempt < 5 && !child; ++attempt) {
      port = free_port();
      auto c = std::make_unique<Child>(
          std::vector<std::string>{"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                                   std::to_string(port), db});
      for (int i = 0; i < 100 && !accepts(port); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (accepts(port)) child = std::move(c);
    }
    BOOST_REQUIRE_MESSAGE(child, "xapian-tcpsrv did not start (Debian package xapian-tools)");
  }
};

// data/ in three shards, each served remotely, and a stub file listing them.
struct Remote {
  TempDir t;
  std::string local, stub;
  std::vector<std::unique_ptr<TcpServer>> servers;
  Remote() {
    local = (t.path() / "index").string();
    taxon::IndexOptions o;
    o.db = local;
    o.jobs = kShards;
    taxon::Indexer(o).index({kDataDir});
    // A page replaced after the build: its old headings stay in their shard,
    // hidden, and must stay hidden over the remote backend too.
    const auto extra = t.path() / "extra";
    t.write("extra/fence.md",
            "# Orbital Fence; retired phrase quokkaword\n## Posts; nested quokkaword\n");
    taxon::Indexer(o).index({extra});
    t.write("extra/fence.md", "# Orbital Fence; current phrase wombatword\n");
    std::filesystem::last_write_time(
        extra / "fence.md",
        std::filesystem::last_write_time(extra / "fence.md") + std::chrono::seconds(10));
    o.compact = taxon::IndexOptions::Compact::Never;
    taxon::Indexer(o).index({extra});
    std::string lines;
    for (std::size_t i = 0; i < kShards; ++i) {
      servers.push_back(std::make_unique<TcpServer>(local + "/shard-" + std::to_string(i)));
      lines += "remote 127.0.0.1:" + std::to_string(servers.back()->port) + "\n";
    }
    stub = t.write("remote.stub", lines).string();
  }
  taxon::OpenOptions open(unsigned timeout_ms = 5000) const {
    taxon::OpenOptions o;
    o.allow_remote = true;
    o.remote_timeout_ms = timeout_ms;
    return o;
  }
};

Remote& remote() {
  static Remote r;
  return r;
}

// Everything a search answers, as text to compare.
std::string canonical(const taxon::SearchResult& r) {
  std::ostringstream out;
  char score[32];
  out << "total " << r.estimated_total << (r.total_is_exact ? " exact" : "") << "\ncorrected "
      << r.corrected << (r.used_correction ? " used" : "") << "\ncompleted " << r.completed_from
      << ">" << r.completed_to << "\nmost " << r.most_words << " derived " << r.derived
      << "\nsteps";
  for (const auto& s : r.steps) out << " " << s;
  out << "\noptional";
  for (const auto& w : r.optional_words) out << " " << w;
  out << "\nlanguages";
  for (const auto& l : r.languages) out << " " << l;
  out << "\n";
  for (const auto& h : r.hits) {
    std::snprintf(score, sizeof score, "%.9g", h.score);
    out << h.rank << " " << score << " " << h.percent << "% " << h.label << " | " << h.number
        << " | " << h.keywords << " | " << h.level << " " << h.line << " " << h.ordinal << " "
        << h.anchor << " | " << h.path << " | " << h.title << " | " << h.lang << " | " << h.url
        << " | " << h.breadcrumb() << " | " << h.collapsed;
    for (const auto& c : h.categories) out << " c:" << c;
    for (const auto& t : h.tags) out << " t:" << t;
    out << "\n";
  }
  for (const auto& [name, counts] : r.facets) {
    out << name << ":";
    for (const auto& c : counts) out << " " << c.value << "=" << c.count;
    out << "\n";
  }
  return out.str();
}

// The queries of a relevance file (its second column).
std::vector<std::string> suite_queries(const std::string& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find('\t');
    const auto b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b != std::string::npos) out.push_back(line.substr(a + 1, b - a - 1));
  }
  return out;
}

// Every operator and field of docs/query-syntax.md, and the fallbacks.
const std::vector<std::string> kSyntax = {
    "debris mitigation",
    "\"armed conflict\"",
    "\"reading time value\"",
    "space NEAR debris",
    "space NEAR/3 debris",
    "armed ADJ conflict",
    "armed ADJ/2 conflict",
    "space AND (debris OR junk)",
    "space OR cinema",
    "space NOT debris",
    "space -debris",
    "+space debris",
    "space XOR debris",
    "miti*",
    "label:debris",
    "label:\"debris mitigation\"",
    "label:deb*",
    "keywords:cleanup",
    "keywords:clean*",
    "keywords:\"space debris\"",
    "category:stakeholders space",
    "tag:international-entities",
    "page:international-space-consortium.md debris",
    "page:\"International Space Consortium\"",
    "lang:fr site",
    "level:2 space",
    "level:2..3 space",
    "level:..2 conflict",
    "under:3.2",
    "under:\"Security Interests\"",
    "under:\"Strategic Objectives/Security Interests\" debris",
    "debri mitigaton",
    "debris miti",
    "shortc",
    "frontmatter",
    "reading time",
    "install on windows",
    "debris mitigation zebra",
    "economic",
    "d\xC3\xA9ploiement",
    "nothingatallhere",
    "quokkaword",
    "wombatword",
    "orbital fence",
    "keywords:quokkaword",
    "keywords:wombatword",
    "\"current phrase\"",
    "\"retired phrase\"",
};

void expect_same(taxon::Searcher& local, taxon::Searcher& far, const std::string& query,
                 const taxon::SearchOptions& options, const std::string& what) {
  std::string a, b;
  try {
    a = canonical(local.search(query, options));
  } catch (const taxon::Error& e) {
    a = std::string("error ") + e.what();
  }
  try {
    b = canonical(far.search(query, options));
  } catch (const taxon::Error& e) {
    b = std::string("error ") + e.what();
  }
  BOOST_TEST(a == b, what << " '" << query << "': local\n" << a << "remote\n" << b);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(remote_equality)

BOOST_AUTO_TEST_CASE(relevance_suites_answer_as_locally) {
  taxon::Searcher local(remote().local);
  taxon::Searcher far(remote().stub, remote().open());
  std::size_t n = 0;
  for (const char* file : {TAXON_RELEVANCE_QUERIES, TAXON_RELEVANCE_HELDOUT})
    for (const auto& q : suite_queries(file)) {
      expect_same(local, far, q, {}, "default");
      ++n;
    }
  BOOST_TEST(n >= 400u);
}

BOOST_AUTO_TEST_CASE(every_operator_and_field_answers_as_locally) {
  taxon::Searcher local(remote().local);
  taxon::Searcher far(remote().stub, remote().open());
  std::vector<std::pair<std::string, taxon::SearchOptions>> variants;
  variants.emplace_back("default", taxon::SearchOptions{});
  taxon::SearchOptions o;
  o.any = true;
  variants.emplace_back("any", o);
  o = {};
  o.all = true;
  variants.emplace_back("all", o);
  o = {};
  o.partial = true;
  variants.emplace_back("partial", o);
  o = {};
  o.group = taxon::GroupBy::Page;
  o.facets = true;
  variants.emplace_back("group page, facets", o);
  o = {};
  o.group = taxon::GroupBy::Branch;
  o.limit = 5;
  variants.emplace_back("group branch", o);
  o = {};
  o.offset = 3;
  o.limit = 4;
  o.exact_total = true;
  variants.emplace_back("offset 3", o);
  o = {};
  o.languages = {"fr"};
  variants.emplace_back("lang fr", o);
  for (const auto& [name, options] : variants)
    for (const auto& q : kSyntax) expect_same(local, far, q, options, name);
}

BOOST_AUTO_TEST_CASE(replaced_headings_stay_hidden) {
  taxon::Searcher far(remote().stub, remote().open());
  taxon::SearchOptions o;
  o.all = true;
  o.complete = false;
  BOOST_TEST(far.search("quokkaword", o).hits.empty());
  BOOST_TEST(far.search("keywords:quokkaword", o).hits.empty());
  const auto r = far.search("wombatword", o);
  BOOST_TEST_REQUIRE(r.hits.size() == 1u);
  BOOST_TEST(r.hits[0].keywords == "current phrase wombatword");
}

BOOST_AUTO_TEST_CASE(taxon_query_prints_the_same) {
  for (const std::string q : {"\"armed conflict\"", "keywords:clean* level:4", "debris miti"}) {
    const auto a =
        taxon::test::run(kQueryBin + " --json --db " + quote(remote().local) + " " + quote(q));
    const auto b =
        taxon::test::run(kQueryBin + " --json --db " + quote(remote().stub) + " " + quote(q));
    BOOST_TEST(a.exit == 0, q << ": " << a.err);
    BOOST_TEST(b.exit == 0, q << ": " << b.err);
    BOOST_TEST(a.out == b.out, q);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(remote_faults)

// A shard that is down: one error naming it, at once; or, with
// --allow-partial, the other shards' hits and a warning naming it.
BOOST_AUTO_TEST_CASE(a_shard_down_is_named) {
  TempDir t;
  const auto& r = remote();
  const unsigned dead = free_port();  // nothing listens there
  const std::string stub =
      t.write("down.stub", "remote 127.0.0.1:" + std::to_string(r.servers[0]->port) +
                               "\nremote 127.0.0.1:" + std::to_string(r.servers[1]->port) +
                               "\nremote 127.0.0.1:" + std::to_string(dead) + "\n")
          .string();
  const std::string cmd = "timeout 20 " + kQueryBin + " --timeout 2 --db " + quote(stub);
  const auto down = taxon::test::run(cmd + " space");
  BOOST_TEST(down.exit == 3, down.err);
  BOOST_TEST(
      down.err.find("127.0.0.1:" + std::to_string(dead) + " (shard 3 of 3)") != std::string::npos,
      down.err);
  const auto partial = taxon::test::run(cmd + " --allow-partial --json space");
  BOOST_TEST(partial.exit == 0, partial.err);
  BOOST_TEST(
      partial.err.find("warning: left out 127.0.0.1:" + std::to_string(dead)) != std::string::npos,
      partial.err);
  BOOST_TEST(partial.out.find("\"missing_shards\": [\n    \"127.0.0.1:" + std::to_string(dead)) !=
                 std::string::npos,
             partial.out.substr(0, 2000));
  BOOST_TEST(partial.out.find("\"hits\": [\n    {") != std::string::npos);
}

// A shard that accepts connections and never answers: an error within the
// timeout, not a hang.
BOOST_AUTO_TEST_CASE(a_silent_shard_times_out) {
  TempDir t;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  BOOST_REQUIRE(::listen(fd, 8) == 0);
  BOOST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const std::string stub =
      t.write("silent.stub", "remote 127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "\n")
          .string();
  const auto start = std::chrono::steady_clock::now();
  const auto r =
      taxon::test::run("timeout 30 " + kQueryBin + " --timeout 1 --db " + quote(stub) + " space");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  BOOST_TEST(r.exit == 3, r.err);
  BOOST_TEST(r.err.find("(shard 1 of 1)") != std::string::npos, r.err);
  BOOST_TEST(seconds < 15, seconds);
}

// A shard killed after the index was opened: the next search names it,
// or with allow_partial leaves it out and answers from the others.
BOOST_AUTO_TEST_CASE(a_shard_that_stops_answering_is_named) {
  TempDir t;
  const auto& r = remote();
  TcpServer extra(r.local + "/shard-2");
  const std::string stub =
      t.write("kill.stub", "remote 127.0.0.1:" + std::to_string(r.servers[0]->port) +
                               "\nremote 127.0.0.1:" + std::to_string(r.servers[1]->port) +
                               "\nremote 127.0.0.1:" + std::to_string(extra.port) + "\n")
          .string();
  taxon::OpenOptions strict = r.open(2000);
  taxon::OpenOptions lenient = strict;
  lenient.allow_partial = true;
  taxon::Searcher a(stub, strict), b(stub, lenient);
  const std::size_t all = a.search("space").estimated_total;
  BOOST_TEST(b.search("space").missing_shards.empty());
  extra.child->stop();
  try {
    a.search("space");
    BOOST_FAIL("a search over a dead shard succeeded");
  } catch (const taxon::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(taxon::ErrorCode::Remote));
    BOOST_TEST(std::string(e.what()).find(std::to_string(extra.port) + " (shard 3 of 3)") !=
                   std::string::npos,
               e.what());
  }
  const taxon::SearchResult partial = b.search("space");
  BOOST_TEST(partial.missing_shards.size() == 1u);
  BOOST_TEST(!partial.hits.empty());
  BOOST_TEST(partial.estimated_total < all);
}

BOOST_AUTO_TEST_SUITE_END()
