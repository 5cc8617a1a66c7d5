// SPDX-License-Identifier: MIT
// Hostile and damaged index folders: taxon-query finds `.taxon/` by walking
// up from the current folder, so anyone who can leave a folder in a
// checkout, an archive or a shared drive can plant one. taxon opens only
// what it wrote there, deletes only what is its own, never hangs on one,
// and a writer's lock covers every write.
#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <xapian.h>

#include "../index_fingerprint.h"
#include "regress.h"
#include "taxon/indexer.h"

extern char** environ;

namespace fs = std::filesystem;
using taxon::test::kIndexBin;
using taxon::test::kQueryBin;
using taxon::test::quote;
using taxon::test::run_limited;
using taxon::test::TempDir;

namespace {

// A small content folder: `pages` pages of 13 headings.
void write_content(const TempDir& t, int pages, const std::string& folder = "content") {
  for (int p = 0; p < pages; ++p) {
    std::string md = "# Space Topic " + std::to_string(p) + "; orbital space words\n";
    for (int a = 1; a <= 4; ++a) {
      md += "## " + std::to_string(a) + ". Branch; debris mitigation w" + std::to_string(p) + "\n";
      for (int b = 1; b <= 2; ++b) md += "### Leaf " + std::to_string(b) + "; leaf words\n";
    }
    t.write(folder + "/d" + std::to_string(p % 5) + "/p" + std::to_string(p) + ".md", md);
  }
}

std::string in(const TempDir& t, const std::string& rel) {
  return quote((t.path() / rel).string());
}

// Runs `program_and_args` in `dir` under a time limit.
taxon::test::Run run_in(const std::string& dir, const std::string& program_and_args,
                        int seconds = 60) {
  return taxon::test::run("cd " + dir + " && NO_COLOR=1 timeout -k 5 " + std::to_string(seconds) +
                          " " + program_and_args);
}

// Every name in a folder, sorted: what a wipe would change.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out.push_back(fs::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

// A background process, killed if the test ends first.
struct Child {
  pid_t pid = 0;
  explicit Child(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    BOOST_REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  }
  // Exit status, or -1 while it runs.
  int poll() {
    int status = 0;
    if (pid == 0) return exit_;
    if (waitpid(pid, &status, WNOHANG) != pid) return -1;
    pid = 0;
    exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_;
  }
  int wait() {
    while (poll() < 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return exit_;
  }
  ~Child() {
    if (pid != 0) {
      ::kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  int exit_ = -1;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(regress_index_folder)

// 1. Xapian stub files accept `remote :PROGRAM`; taxon never passes one on.
BOOST_AUTO_TEST_CASE(a_planted_stub_never_runs_a_program) {
  TempDir t;
  write_content(t, 2);
  const fs::path pwned = t.path() / "PWNED";
  const std::string prog = "remote :touch " + pwned.string() + "\n";
  fs::create_directories(t.path() / "sub");
  const std::string sub = in(t, "sub");
  // Queries walk up from a subfolder; taxon-index writes ./.taxon.
  auto check = [&](const std::string& what, const std::string& cmd) {
    auto r = run_in(cmd.find(kIndexBin) == 0 ? in(t, "") : sub, cmd, 30);
    BOOST_TEST(!fs::exists(pwned), what << ": the program ran");
    BOOST_TEST(r.exit == 3, what << ": exit " << r.exit << ", " << r.err);
    BOOST_TEST(r.err.find("error:") != std::string::npos, what << ": " << r.err);
    fs::remove(pwned);
  };

  // The stub names a shard that is itself a stub.
  t.write(".taxon/taxon.stub", "auto shard-0\n");
  t.write(".taxon/shard-0", prog);
  check("shard stub, query", kQueryBin + " space");
  check("shard stub, index", kIndexBin + " content");
  fs::remove_all(t.path() / ".taxon");

  // The shard folder holds a stub (XAPIANDB).
  t.write(".taxon/taxon.stub", "auto shard-0\n");
  t.write(".taxon/shard-0/XAPIANDB", prog);
  check("XAPIANDB, query", kQueryBin + " space");
  check("XAPIANDB, index", kIndexBin + " content");
  fs::remove_all(t.path() / ".taxon");

  // The index stub itself.
  t.write(".taxon/taxon.stub", prog);
  check("index stub, query", kQueryBin + " space");
  check("index stub, index", kIndexBin + " content");
  fs::remove_all(t.path() / ".taxon");

  // A stub file named on the command line.
  t.write("x.stub", prog);
  check("--db FILE.stub", kQueryBin + " --db " + in(t, "x.stub") + " space");
  check("--db FILE.stub --allow-remote",
        kQueryBin + " --allow-remote --db " + in(t, "x.stub") + " space");
}

// 2. A stub line that leads out of the index folder is never opened, so
// nothing is created or deleted there.
BOOST_AUTO_TEST_CASE(a_stub_path_outside_the_index_is_refused) {
  TempDir t;
  write_content(t, 3);
  t.write("victim/keep.txt", "precious\n");
  t.write("victim/shard-0/iamglass", "not really\n");
  const auto before = listing(t.path() / "victim");
  for (const std::string& line :
       {std::string("auto ../victim"), "auto " + (t.path() / "victim").string(),
        std::string("auto shard-0/../../victim"), std::string("glass ../victim")}) {
    fs::remove_all(t.path() / ".taxon");
    t.write(".taxon/taxon.stub", line + "\n");
    auto r = run_in(in(t, ""), kIndexBin + " content", 60);
    BOOST_TEST(r.exit == 3, line << ": exit " << r.exit);
    BOOST_TEST(r.err.find("taxon.stub:1:") != std::string::npos, line << ": " << r.err);
    BOOST_TEST(listing(t.path() / "victim") == before, line);
    auto q = run_in(in(t, ""), kQueryBin + " space", 30);
    BOOST_TEST(q.exit == 3, line << ": " << q.err);
  }
}

// 4. --rebuild takes the writer lock like every other write.
BOOST_AUTO_TEST_CASE(rebuild_waits_for_the_writer_lock) {
  TempDir t;
  write_content(t, 20);
  const std::string db = (t.path() / "db").string();
  BOOST_REQUIRE(
      run_limited(kIndexBin + " --quiet --db " + quote(db) + " " + in(t, "content")).exit == 0);
  const auto fingerprint = taxon::test::index_fingerprint(db);
  {
    taxon::IndexOptions o;
    o.db = db;
    taxon::Indexer writer(o);  // holds the lock
    auto r =
        run_limited(kIndexBin + " --quiet --rebuild --db " + quote(db) + " " + in(t, "content"));
    BOOST_TEST(r.exit == 4, r.err);
    BOOST_TEST(r.err.find("locked by another taxon-index") != std::string::npos, r.err);
    auto plain = run_limited(kIndexBin + " --quiet --db " + quote(db) + " " + in(t, "content"));
    BOOST_TEST(plain.exit == 4, plain.err);
  }
  BOOST_TEST(taxon::test::index_fingerprint(db) == fingerprint);
  // With the lock free, the rebuild runs and gives the same index.
  auto r = run_limited(kIndexBin + " --quiet --rebuild --db " + quote(db) + " " + in(t, "content"));
  BOOST_TEST(r.exit == 0, r.err);
  BOOST_TEST(taxon::test::index_fingerprint(db) == fingerprint);
}

// 5. --rebuild deletes only in a taxon index folder.
BOOST_AUTO_TEST_CASE(rebuild_deletes_nothing_in_a_foreign_folder) {
  TempDir t;
  write_content(t, 2);
  t.write("home/shard-1/notes.txt", "mine\n");
  t.write("home/shard-2/iamglass", "mine too\n");
  t.write("home/photos.glass", "a file of mine\n");
  t.write("home/taxon.stub.txt", "notes\n");
  const auto before = listing(t.path() / "home");
  auto r = run_limited(kIndexBin + " --rebuild --db " + in(t, "home") + " " + in(t, "content"));
  BOOST_TEST(r.exit == 3, r.err);
  BOOST_TEST(r.err.find("not a taxon index folder") != std::string::npos, r.err);
  auto after = listing(t.path() / "home");
  after.erase(std::remove(after.begin(), after.end(), "taxon.lock"), after.end());
  BOOST_TEST(after == before);
  // A new or empty folder is fine.
  auto fresh =
      run_limited(kIndexBin + " --quiet --rebuild --db " + in(t, "new") + " " + in(t, "content"));
  BOOST_TEST(fresh.exit == 0, fresh.err);
}

// 6. A run killed while it creates the index leaves shard folders without
// a database; the next run finishes the job.
BOOST_AUTO_TEST_CASE(a_half_created_index_is_recreated) {
  TempDir t;
  write_content(t, 30);
  const std::string content = (t.path() / "content").string();
  // What a kill leaves: a folder with Xapian's lock file and part of a table.
  t.write("db/shard-0/flintlock", "");
  t.write("db/shard-0/postlist.glass", std::string(100, '\0'));
  t.write("db/shard-1/flintlock", "");
  auto r = run_limited(kIndexBin + " --quiet --jobs 2 --db " + in(t, "db") + " " + quote(content));
  BOOST_TEST(r.exit == 0, r.err);
  auto q = run_limited(kQueryBin + " --db " + in(t, "db") + " -c 'debris mitigation'");
  BOOST_TEST(q.exit == 0, q.err);
  BOOST_TEST(q.out == "120\n");

  // Real kills at a spread of early moments.
  int recovered = 0;
  for (int k = 0; k < 12; ++k) {
    const std::string db = (t.path() / ("k" + std::to_string(k))).string();
    {
      Child c({kIndexBin, "--quiet", "--jobs", "2", "--db", db, content});
      std::this_thread::sleep_for(std::chrono::microseconds(500 + 1500 * k));
      if (c.poll() < 0) ::kill(c.pid, k % 2 ? SIGKILL : SIGINT);
      c.wait();
    }
    auto again = run_limited(kIndexBin + " --quiet --db " + quote(db) + " " + quote(content));
    BOOST_TEST(again.exit == 0, "kill " << k << ": " << again.err);
    auto count = run_limited(kQueryBin + " --db " + quote(db) + " -c 'debris mitigation'");
    BOOST_TEST(count.out == "120\n", "kill " << k << ": " << count.err);
    recovered += again.exit == 0;
  }
  BOOST_TEST(recovered == 12);
}

// 8. A FIFO where the stub should be hangs neither program.
BOOST_AUTO_TEST_CASE(a_fifo_stub_hangs_nothing) {
  TempDir t;
  write_content(t, 2);
  fs::create_directories(t.path() / ".taxon");
  BOOST_REQUIRE(::mkfifo((t.path() / ".taxon/taxon.stub").c_str(), 0644) == 0);
  auto q = run_in(in(t, ""), kQueryBin + " space", 20);
  BOOST_TEST(q.exit == 3, q.err);
  BOOST_TEST(q.err.find("not a regular file") != std::string::npos, q.err);
  auto i = run_in(in(t, ""), kIndexBin + " content", 20);
  BOOST_TEST(i.exit == 3, i.err);
  // A FIFO inside a shard folder is not opened either.
  fs::remove_all(t.path() / ".taxon");
  BOOST_REQUIRE(run_in(in(t, ""), kIndexBin + " --quiet -j1 content").exit == 0);
  fs::remove(t.path() / ".taxon/shard-0/iamglass");
  BOOST_REQUIRE(::mkfifo((t.path() / ".taxon/shard-0/iamglass").c_str(), 0644) == 0);
  auto q2 = run_in(in(t, ""), kQueryBin + " space", 20);
  BOOST_TEST(q2.exit == 3, q2.err);
  auto i2 = run_in(in(t, ""), kIndexBin + " content", 20);
  BOOST_TEST(i2.exit == 3, i2.err);
}

// 10. Readers during --rebuild see the old index or the new one, never a
// gap or a part.
BOOST_AUTO_TEST_CASE(readers_during_a_rebuild_see_whole_answers) {
  TempDir t;
  write_content(t, 400);  // 5,200 headings
  const std::string db = (t.path() / "db").string();
  const std::string content = (t.path() / "content").string();
  BOOST_REQUIRE(
      run_limited(kIndexBin + " --quiet --jobs 2 --db " + quote(db) + " " + quote(content)).exit ==
      0);
  const std::string count = kQueryBin + " --db " + quote(db) + " -c 'debris mitigation'";
  BOOST_REQUIRE(run_limited(count).out == "1600\n");
  int queries = 0, whole = 0;
  for (int round = 0; round < 3; ++round) {
    Child c({kIndexBin, "--quiet", "--rebuild", "--jobs", "2", "--commit-every", "500", "--db", db,
             content});
    while (c.poll() < 0) {
      auto r = run_limited(count, 30);
      ++queries;
      if (r.exit == 0 && r.out == "1600\n")
        ++whole;
      else
        BOOST_TEST_MESSAGE("during rebuild: exit " << r.exit << " out " << r.out << r.err);
    }
    BOOST_TEST(c.wait() == 0);
  }
  BOOST_TEST_MESSAGE(whole << " of " << queries << " queries during rebuilds had the whole answer");
  BOOST_TEST(queries > 0);
  BOOST_TEST(whole == queries);
  // Only the new generation's shards are left.
  int shards = 0;
  for (const auto& e : fs::directory_iterator(db)) shards += e.is_directory();
  BOOST_TEST(shards == 2);
}

// 11. An edited stub is an error, not hits twice or a silent fraction.
BOOST_AUTO_TEST_CASE(an_edited_stub_is_an_error) {
  TempDir t;
  write_content(t, 40);
  const std::string db = (t.path() / "db").string();
  BOOST_REQUIRE(
      run_limited(kIndexBin + " --quiet --jobs 3 --db " + quote(db) + " " + in(t, "content"))
          .exit == 0);
  for (const std::string& stub :
       {std::string("auto shard-1\nauto shard-0\nauto shard-2\n"),
        std::string("auto shard-0\nauto shard-0\nauto shard-1\nauto shard-2\n"),
        std::string("auto shard-0\nauto shard-1\nauto shard-1\n"),
        std::string("auto shard-0\nauto shard-2\n")}) {
    t.write("db/taxon.stub", stub);
    auto q = run_limited(kQueryBin + " --db " + quote(db) + " space");
    BOOST_TEST(q.exit == 3, stub << q.out << q.err);
    auto i = run_limited(kIndexBin + " --db " + quote(db) + " " + in(t, "content"));
    BOOST_TEST(i.exit == 3, stub << i.out << i.err);
  }
  // --rebuild repairs it.
  auto r = run_limited(kIndexBin + " --quiet --rebuild --db " + quote(db) + " " + in(t, "content"));
  BOOST_TEST(r.exit == 0, r.err);
  BOOST_TEST(run_limited(kQueryBin + " --db " + quote(db) + " -c debris").out == "160\n");
}

// 13. The writer never connects anywhere: a remote line in an index folder
// is an error at once, not a wait on a listener that never answers.
BOOST_AUTO_TEST_CASE(remote_lines_never_reach_the_network_unasked) {
  TempDir t;
  write_content(t, 2);
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_REQUIRE(s >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  BOOST_REQUIRE(::listen(s, 4) == 0);  // never accepted
  socklen_t len = sizeof addr;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string line = "remote 127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "\n";
  t.write(".taxon/taxon.stub", line);
  const auto t0 = std::chrono::steady_clock::now();
  auto i = run_in(in(t, ""), kIndexBin + " content", 30);
  auto q = run_in(in(t, ""), kQueryBin + " space", 30);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ::close(s);
  BOOST_TEST(i.exit == 3, i.err);
  BOOST_TEST(q.exit == 3, q.err);
  BOOST_TEST(q.err.find("remote shard not read") != std::string::npos, q.err);
  BOOST_TEST(secs < 5.0);
}

// 15. A missing shard, a shard of another schema version, or a read-only
// index each say what they are, with exit 3.
BOOST_AUTO_TEST_CASE(damaged_indexes_say_what_is_wrong) {
  TempDir t;
  write_content(t, 30);
  const std::string db = (t.path() / "db").string();
  const std::string index = kIndexBin + " --db " + quote(db) + " " + in(t, "content");
  const std::string query = kQueryBin + " --db " + quote(db) + " debris";
  BOOST_REQUIRE(run_limited(index + " --quiet --jobs 2").exit == 0);

  // One shard of another schema version: readers and writers see it.
  {
    Xapian::WritableDatabase shard(db + "/shard-1", Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    shard.set_metadata("taxon:schema", "3");
    shard.commit();
  }
  auto q = run_limited(query);
  BOOST_TEST(q.exit == 3, q.err);
  BOOST_TEST(q.err.find("schema version 3") != std::string::npos, q.err);
  auto i = run_limited(index);
  BOOST_TEST(i.exit == 3, i.out << i.err);
  BOOST_TEST(i.out.find("up to date") == std::string::npos);

  // A missing shard.
  BOOST_REQUIRE(run_limited(index + " --quiet --rebuild --jobs 2").exit == 0);
  const auto stub_names = taxon::test::index_shards(db);
  BOOST_REQUIRE(stub_names.size() == 2u);
  std::string second;
  for (const auto& e : fs::directory_iterator(db))
    if (e.is_directory() && e.path().filename().string().rfind("shard-1", 0) == 0)
      second = e.path().string();
  fs::remove_all(second);
  auto missing = run_limited(query);
  BOOST_TEST(missing.exit == 3, missing.err);
  BOOST_TEST(missing.err.find("shard is missing") != std::string::npos, missing.err);
  BOOST_TEST(run_limited(index).exit == 3);

  // Read-only: not "locked by another taxon-index".
  BOOST_REQUIRE(run_limited(index + " --quiet --rebuild --jobs 2").exit == 0);
  t.write("content/new.md", "# New page; words\n");
  // As root: run as nobody, to whom nothing in the index is writable. As
  // anyone else: take the write bit off everything in it (a folder without
  // it still lets its files, the lock and the shards' files, be written).
  std::string as_reader = index;
  auto set_writable = [&](bool on) {
    const auto how = on ? fs::perm_options::add : fs::perm_options::remove;
    fs::permissions(db, fs::perms::owner_write, how);
    for (const auto& e : fs::recursive_directory_iterator(db))
      fs::permissions(e.path(), fs::perms::owner_write, how);
  };
  if (::geteuid() == 0)
    as_reader = "setpriv --reuid=65534 --regid=65534 --clear-groups " + index;
  else
    set_writable(false);
  auto ro = run_limited(as_reader);
  if (::geteuid() != 0) set_writable(true);
  BOOST_TEST(ro.exit == 3, ro.err);
  BOOST_TEST(ro.err.find("read-only") != std::string::npos, ro.err);
  BOOST_TEST(ro.err.find("locked") == std::string::npos, ro.err);
  if (::geteuid() == 0) {
    // The lock file writable, the shards not: Xapian's own lock fails.
    fs::permissions(db + "/taxon.lock", fs::perms::all, fs::perm_options::add);
    auto shard_ro = run_limited(as_reader);
    BOOST_TEST(shard_ro.exit == 3, shard_ro.err);
    BOOST_TEST(shard_ro.err.find("read-only") != std::string::npos, shard_ro.err);
  }
}

// 15. A full disk says so, leaves no half-written compaction copy, and the
// next run with space works.
BOOST_AUTO_TEST_CASE(a_full_disk_says_enospc_and_leaves_nothing_behind,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                       return ::geteuid() == 0 && taxon::test::run("unshare -m true").exit == 0;
                     })) {
  TempDir t;
  write_content(t, 300);
  const std::string mnt = (t.path() / "mnt").string();
  fs::create_directories(mnt);
  const std::string db = mnt + "/db";
  const std::string script =
      "mount -t tmpfs -o size=600k tmpfs " + quote(mnt) + " || exit 99; " +
      // Xapian (1.4) leaks the changes it held when a write fails for want
      // of space: under LeakSanitizer that run would exit 23, not 3.
      "ASAN_OPTIONS=detect_leaks=0 " + kIndexBin + " --quiet --jobs 1 --db " + quote(db) + " " +
      in(t, "content") + " 2>" + in(t, "err1") + "; echo $? > " + in(t, "exit1") + "; ls -a " +
      quote(db) + " > " + in(t, "ls1") + "; mount -o remount,size=64m " + quote(mnt) + "; " +
      kIndexBin + " --quiet --db " + quote(db) + " " + in(t, "content") + " 2>" + in(t, "err2") +
      "; echo $? > " + in(t, "exit2") + "; " + kQueryBin + " --db " + quote(db) + " -c debris > " +
      in(t, "count") + "; umount " + quote(mnt);
  auto r = run_limited("unshare -m sh -c " + quote(script), 120);
  BOOST_REQUIRE_MESSAGE(r.exit != 99, "cannot mount a tmpfs here: " + r.err);
  auto slurp = [&](const std::string& name) {
    std::ifstream f(t.path() / name);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  BOOST_TEST(slurp("exit1") == "3\n", slurp("err1"));
  BOOST_TEST(slurp("err1").find("No space left on device") != std::string::npos, slurp("err1"));
  BOOST_TEST(slurp("ls1").find(".compact") == std::string::npos, slurp("ls1"));
  BOOST_TEST(slurp("exit2") == "0\n", slurp("err2"));
  BOOST_TEST(slurp("count") == "1200\n");
}

BOOST_AUTO_TEST_SUITE_END()
