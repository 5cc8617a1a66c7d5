// SPDX-License-Identifier: MIT
// The layout of an index folder (lib/src/format/layout.h): what a stub may
// list, shard names and tags, where a page goes, remote addresses, and the
// write lock.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "../temp_dir.h"
#include "format/layout.h"
#include "taxon/error.h"
#include "taxon/indexer.h"

namespace fs = std::filesystem;
namespace format = taxon::format;
using taxon::ErrorCode;
using taxon::test::TempDir;

namespace {

// The code of the Error `f` throws; Internal when it throws none.
template <class F>
ErrorCode thrown(F&& f, std::string* message = nullptr, int* line = nullptr) {
  try {
    f();
  } catch (const taxon::Error& e) {
    if (message) *message = e.what();
    if (line) *line = e.line();
    return e.code();
  }
  return ErrorCode::Internal;
}

// read_index_stub() of a folder whose stub is `text`.
std::vector<format::StubEntry> index_stub(const TempDir& t, const std::string& text,
                                          bool allow_remote = false) {
  t.write(format::kStubName, text);
  return format::read_index_stub(t.path(), allow_remote);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layout)

BOOST_AUTO_TEST_CASE(shard_names) {
  for (const char* good : {"shard-0", "shard-12", "shard-3.2", "shard-123456789.987654321"})
    BOOST_TEST(format::is_shard_name(good), good);
  for (const char* bad : {"", "shard-", "shard-a", "shard-1.", "shard-.1", "shard-1.2.3",
                          "../shard-1", "shard-0/../x", "shard-1234567890", "Shard-1", "shard-+1",
                          "shard--1", "shard-1 ", " shard-1", "shard-1/x", "db"})
    BOOST_TEST(!format::is_shard_name(bad), bad);
}

BOOST_AUTO_TEST_CASE(written_stub_reads_back) {
  TempDir t;
  format::write_stub(t.path(), {"shard-0", "shard-1.3", "shard-2"});
  const auto entries = format::read_index_stub(t.path());
  BOOST_REQUIRE_EQUAL(entries.size(), 3u);
  BOOST_TEST(entries[0].path == t.path() / "shard-0");
  BOOST_TEST(entries[1].path == t.path() / "shard-1.3");
  BOOST_TEST(entries[2].path == t.path() / "shard-2");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    BOOST_TEST(!entries[i].remote());
    BOOST_TEST(entries[i].line == static_cast<int>(i + 1));
  }
  // Written through a temporary file that is renamed: none is left.
  BOOST_TEST(!fs::exists(t.path() / (std::string(format::kStubName) + ".tmp")));
  // Rewritten, the stub holds only the new list.
  format::write_stub(t.path(), {"shard-4"});
  BOOST_REQUIRE_EQUAL(format::read_index_stub(t.path()).size(), 1u);
  BOOST_TEST(format::read_index_stub(t.path())[0].path == t.path() / "shard-4");
}

BOOST_AUTO_TEST_CASE(missing_stub_lists_nothing) {
  TempDir t;
  BOOST_TEST(format::read_index_stub(t.path()).empty());
  BOOST_TEST(format::read_index_stub(t.path(), true).empty());
}

BOOST_AUTO_TEST_CASE(comments_and_blank_lines_keep_line_numbers) {
  TempDir t;
  const auto entries = index_stub(t, "# made by hand\n\n  auto shard-0  \n\t\nauto shard-1");
  BOOST_REQUIRE_EQUAL(entries.size(), 2u);
  BOOST_TEST(entries[0].line == 3);
  BOOST_TEST(entries[0].path == t.path() / "shard-0");
  BOOST_TEST(entries[1].line == 5);
}

// An index folder may come from anyone: its stub names only shard folders
// inside it, each once, and remote shards only when asked.
BOOST_AUTO_TEST_CASE(index_stub_refuses_what_leaves_the_folder) {
  struct Case {
    std::string stub;
    bool allow_remote;
    int line;
    std::string says;
  };
  const std::vector<Case> cases{
      {"auto ../other", false, 1, "is not a shard of this folder"},
      {"auto shard-0\nauto /tmp/shard-0", false, 2, "is not a shard of this folder"},
      {"auto shard-0/../../x", false, 1, "is not a shard of this folder"},
      {"glass shard-0", false, 1, "expected 'auto shard-N'"},
      {"shard-0", false, 1, "expected 'auto shard-N'"},
      {"auto", false, 1, "expected 'auto shard-N'"},
      {"auto shard-0\n# c\nauto shard-0", false, 3, "shard-0 is listed twice"},
      {"remote 127.0.0.1:8100", false, 1, "--allow-remote"},
      {"remote :xapian-progsrv /srv/db", true, 1, "remote programs are never run"},
      {"remote :xapian-progsrv /srv/db", false, 1, "remote programs are never run"},
      {"remote localhost", true, 1, "expected 'remote HOST:PORT'"},
      {"remote localhost:0", true, 1, "expected 'remote HOST:PORT'"},
      {"remote localhost:65536", true, 1, "expected 'remote HOST:PORT'"},
      {"remote localhost:80x", true, 1, "expected 'remote HOST:PORT'"},
      {"remote :80", true, 1, "remote programs are never run"},
      {"remote bad host:80", true, 1, "expected 'remote HOST:PORT'"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("stub '" << c.stub << "'") {
      TempDir t;
      std::string message;
      int line = 0;
      BOOST_TEST((thrown([&] { index_stub(t, c.stub, c.allow_remote); }, &message, &line) ==
                  ErrorCode::IndexCorrupt));
      BOOST_TEST(line == c.line);
      BOOST_TEST(message.find(format::kStubName + std::string(":") + std::to_string(c.line) +
                              ": ") != std::string::npos,
                 message);
      BOOST_TEST(message.find(c.says) != std::string::npos, message);
    }
  }
}

BOOST_AUTO_TEST_CASE(index_stub_lists_remote_shards_when_asked) {
  TempDir t;
  const auto entries = index_stub(
      t, "auto shard-0\nremote 127.0.0.1:8100\nremote [::1]:8101\nremote tcp db.example:9\n", true);
  BOOST_REQUIRE_EQUAL(entries.size(), 4u);
  BOOST_TEST(!entries[0].remote());
  BOOST_TEST(entries[1].remote());
  BOOST_TEST(entries[1].host == "127.0.0.1");
  BOOST_TEST(entries[1].port == 8100u);
  BOOST_TEST(entries[2].host == "::1");
  BOOST_TEST(entries[2].port == 8101u);
  BOOST_TEST(entries[3].host == "db.example");
  BOOST_TEST(entries[3].port == 9u);
  BOOST_TEST(entries[3].line == 4);
}

BOOST_AUTO_TEST_CASE(stub_must_be_a_small_regular_file) {
  {
    TempDir t;
    fs::create_directory(t.path() / format::kStubName);
    BOOST_TEST((thrown([&] { format::read_index_stub(t.path()); }) == ErrorCode::IndexCorrupt));
  }
  {
    TempDir t;
    BOOST_REQUIRE(::mkfifo((t.path() / format::kStubName).c_str(), 0600) == 0);
    // Refused without blocking on the FIFO.
    BOOST_TEST((thrown([&] { format::read_index_stub(t.path()); }) == ErrorCode::IndexCorrupt));
  }
  {
    TempDir t;
    std::string big;
    while (big.size() <= format::kMaxStubBytes) big += "# a comment line, nothing more\n";
    std::string message;
    BOOST_TEST((thrown([&] { index_stub(t, big); }, &message) == ErrorCode::IndexCorrupt));
    BOOST_TEST(message.find("larger than the 65536 bytes allowed") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(user_stub_lists_databases_and_remote_shards) {
  TempDir t;
  const auto file = t.write("my.stub",
                            "# two local, one remote\nauto db1\nglass /srv/db2\n"
                            "remote search.example:8100\n");
  const auto entries = format::read_user_stub(file, true);
  BOOST_REQUIRE_EQUAL(entries.size(), 3u);
  BOOST_TEST(entries[0].path == t.path() / "db1");  // relative to the stub's folder
  BOOST_TEST(entries[0].line == 2);
  BOOST_TEST(entries[1].path == fs::path("/srv/db2"));
  BOOST_TEST(entries[2].remote());
  BOOST_TEST(entries[2].host == "search.example");
  BOOST_TEST(entries[2].port == 8100u);

  std::string message;
  int line = 0;
  BOOST_TEST((thrown([&] { format::read_user_stub(file, false); }, &message, &line) ==
              ErrorCode::IndexCorrupt));
  BOOST_TEST(line == 4);
  BOOST_TEST(message.find("--allow-remote") != std::string::npos, message);

  for (const std::string& bad :
       std::vector<std::string>{"remote :xapian-progsrv db", "auto", "glass", "inmemory",
                                "remote host", "remote host:99999", "stub other.stub"}) {
    const auto f = t.write("bad.stub", bad + "\n");
    BOOST_TEST((thrown([&] { format::read_user_stub(f, true); }) == ErrorCode::IndexCorrupt), bad);
  }
  BOOST_TEST((thrown([&] { format::read_user_stub(t.path() / "missing.stub", true); }) ==
              ErrorCode::NotFound));
}

BOOST_AUTO_TEST_CASE(index_folders_are_recognized) {
  TempDir t;
  BOOST_TEST(!format::is_index_folder(t.path()));
  format::write_marker(t.path());
  BOOST_TEST(fs::is_regular_file(t.path() / format::kMarkerName));
  BOOST_TEST(format::is_index_folder(t.path()));
  // The marker is a new file: an existing one is not written over.
  BOOST_TEST((thrown([&] { format::write_marker(t.path()); }) == ErrorCode::Io));

  // Older indexes have no marker: a stub of shard names only will do.
  TempDir old;
  old.write(format::kStubName, "auto shard-0\nauto shard-1\n");
  BOOST_TEST(format::is_index_folder(old.path()));
  old.write(format::kStubName, "auto shard-0\nauto /etc\n");
  BOOST_TEST(!format::is_index_folder(old.path()));
  old.write(format::kStubName, "");
  BOOST_TEST(!format::is_index_folder(old.path()));
  // A marker that is not a regular file does not count.
  TempDir odd;
  fs::create_directory(odd.path() / format::kMarkerName);
  BOOST_TEST(!format::is_index_folder(odd.path()));
}

BOOST_AUTO_TEST_CASE(shard_states) {
  TempDir t;
  std::string why;
  BOOST_TEST((format::shard_state(t.path() / "none") == format::ShardState::Missing));

  fs::create_directory(t.path() / "empty");
  BOOST_TEST((format::shard_state(t.path() / "empty") == format::ShardState::Empty));
  t.write("begun/flintlock", "");
  t.write("begun/postlist.glass", "x");
  t.write("begun/termlist.tmp", "x");
  BOOST_TEST((format::shard_state(t.path() / "begun") == format::ShardState::Empty));

  t.write("ready/iamglass", "x");
  t.write("ready/postlist.glass", "x");
  t.write("ready/flintlock", "");
  BOOST_TEST((format::shard_state(t.path() / "ready") == format::ShardState::Ready));

  t.write("foreign/notes.txt", "x");
  BOOST_TEST((format::shard_state(t.path() / "foreign", &why) == format::ShardState::NotDatabase));
  BOOST_TEST(why.find("notes.txt") != std::string::npos, why);

  t.write("stubdb/XAPIANDB", "auto /elsewhere\n");
  BOOST_TEST((format::shard_state(t.path() / "stubdb", &why) == format::ShardState::NotDatabase));
  BOOST_TEST(why.find("XAPIANDB") != std::string::npos, why);

  t.write("nested/iamglass", "x");
  fs::create_directory(t.path() / "nested/sub");
  BOOST_TEST((format::shard_state(t.path() / "nested", &why) == format::ShardState::NotDatabase));
  BOOST_TEST(why.find("sub") != std::string::npos, why);

  t.write("linked/iamglass", "x");
  fs::create_symlink(t.path() / "linked/iamglass", t.path() / "linked/postlist.glass");
  BOOST_TEST((format::shard_state(t.path() / "linked") == format::ShardState::NotDatabase));

  fs::create_directory_symlink(t.path() / "ready", t.path() / "link");
  BOOST_TEST((format::shard_state(t.path() / "link", &why) == format::ShardState::NotDatabase));
  BOOST_TEST(why.find("symbolic link") != std::string::npos, why);

  t.write("file", "x");
  BOOST_TEST((format::shard_state(t.path() / "file") == format::ShardState::NotDatabase));
}

BOOST_AUTO_TEST_CASE(only_empty_shards_are_cleared) {
  TempDir t;
  t.write("begun/flintlock", "");
  t.write("begun/postlist.glass", "x");
  format::clear_empty_shard(t.path() / "begun");
  BOOST_TEST(fs::is_directory(t.path() / "begun"));
  BOOST_TEST(fs::is_empty(t.path() / "begun"));

  t.write("ready/iamglass", "x");
  t.write("ready/postlist.glass", "x");
  format::clear_empty_shard(t.path() / "ready");
  BOOST_TEST(fs::exists(t.path() / "ready/postlist.glass"));

  t.write("foreign/postlist.glass", "x");
  t.write("foreign/mine.txt", "x");
  format::clear_empty_shard(t.path() / "foreign");
  BOOST_TEST(fs::exists(t.path() / "foreign/postlist.glass"));
  BOOST_TEST(fs::exists(t.path() / "foreign/mine.txt"));
}

BOOST_AUTO_TEST_CASE(pages_stay_in_their_shard) {
  BOOST_TEST(format::shard_of("0123456789abcdef", 0) == 0u);
  BOOST_TEST(format::shard_of("0123456789abcdef", 1) == 0u);
  // The first 15 hex digits, modulo the shard count: fixed by the format.
  BOOST_TEST(format::shard_of("00000000000000a0", 4) == 2u);
  BOOST_TEST(format::shard_of("00000000000000a0", 3) == 1u);
  BOOST_TEST(format::shard_of("00000000000000af", 4) == 2u);
  BOOST_TEST(format::shard_of("fffffffffffffff0", 7) == 0xfffffffffffffffull % 7);
  // Every shard gets pages.
  std::vector<int> count(5, 0);
  for (int i = 0; i < 1000; ++i) {
    char id[17];
    std::snprintf(id, sizeof id, "%016llx", 0x9e3779b97f4a7c15ull * static_cast<unsigned>(i + 1));
    const auto s = format::shard_of(id, 5);
    BOOST_REQUIRE(s < 5u);
    ++count[s];
  }
  for (int c : count) BOOST_TEST(c > 100);
}

BOOST_AUTO_TEST_CASE(shard_tags) {
  BOOST_TEST(format::shard_tag(0, 1) == "0/1");
  BOOST_TEST(format::shard_tag(2, 8) == "2/8");
  for (std::size_t n : {1u, 2u, 7u, 1024u}) {
    for (std::size_t i : {std::size_t{0}, n / 2, n - 1}) {
      std::size_t a = 99, b = 99;
      BOOST_TEST(format::parse_shard_tag(format::shard_tag(i, n), a, b));
      BOOST_TEST(a == i);
      BOOST_TEST(b == n);
    }
  }
  for (const char* bad :
       {"", "1", "/", "1/", "/2", "2/2", "3/2", "0/0", "1/0", "a/2", "1/b", "-1/2", "+1/2", " 1/2",
        "1/2 ", "1/2/3", "0/1025", "000001/2", "0/99999999999999999999"}) {
    std::size_t a = 99, b = 99;
    BOOST_TEST(!format::parse_shard_tag(bad, a, b), bad);
    BOOST_TEST(a == 99u);  // left alone
    BOOST_TEST(b == 99u);
  }
  std::size_t a = 0, b = 0;
  BOOST_TEST(format::parse_shard_tag("0/" + std::to_string(taxon::kMaxShardCount), a, b));
  BOOST_TEST(format::parse_shard_tag("00/02", a, b));
  BOOST_TEST(b == 2u);
}

BOOST_AUTO_TEST_CASE(remote_lines_read_back) {
  BOOST_TEST(format::remote_line("localhost:8100") == "remote localhost:8100");
  BOOST_TEST(format::remote_line("10.0.0.7:1") == "remote 10.0.0.7:1");
  BOOST_TEST(format::remote_line("db-1.example_org:65535") == "remote db-1.example_org:65535");
  BOOST_TEST(format::remote_line("[::1]:9000") == "remote [::1]:9000");
  BOOST_TEST(format::remote_line("[fe80::1:2]:08100") == "remote [fe80::1:2]:8100");
  // What it writes, a user stub reads back as the same host and port.
  TempDir t;
  for (const std::string& address :
       std::vector<std::string>{"localhost:8100", "[::1]:9000", "a.b.c:42"}) {
    const auto f = t.write("r.stub", format::remote_line(address) + "\n");
    const auto entries = format::read_user_stub(f, true);
    BOOST_REQUIRE_EQUAL(entries.size(), 1u);
    BOOST_TEST(entries[0].remote());
    BOOST_TEST(entries[0].port == std::stoul(address.substr(address.rfind(':') + 1)));
  }
  for (const std::string& bad : std::vector<std::string>{
           "", ":xapian-progsrv", ":8100", "host", "host:", "host:0", "host:65536", "host:123456",
           "host:-1", "host:8o", "a:b:80", "[]:80", "[zz]:80", "[1.2.3.4]:80", "ho st:80",
           "host;rm -rf:80", "host\n:80", std::string(254, 'a') + ":80"}) {
    BOOST_TEST((thrown([&] { format::remote_line(bad); }) == ErrorCode::InvalidArgument), bad);
  }
  BOOST_TEST(format::remote_line(std::string(253, 'a') + ":80").size() == 7u + 253u + 3u);
}

BOOST_AUTO_TEST_CASE(small_files_are_read_without_blocking) {
  TempDir t;
  std::string out = "stale";
  BOOST_TEST(!format::read_small_file(t.path() / "missing", 100, out));
  const auto f = t.write("small", "0123456789");
  BOOST_TEST(format::read_small_file(f, 10, out));
  BOOST_TEST(out == "0123456789");
  BOOST_TEST((thrown([&] { format::read_small_file(f, 9, out); }) == ErrorCode::IndexCorrupt));
  BOOST_TEST(
      (thrown([&] { format::read_small_file(t.path(), 100, out); }) == ErrorCode::IndexCorrupt));
  BOOST_REQUIRE(::mkfifo((t.path() / "fifo").c_str(), 0600) == 0);
  BOOST_TEST((thrown([&] { format::read_small_file(t.path() / "fifo", 100, out); }) ==
              ErrorCode::IndexCorrupt));
}

BOOST_AUTO_TEST_CASE(one_writer_holds_the_lock) {
  TempDir t;
  {
    format::IndexLock first(t.path(), 0);
    BOOST_TEST(fs::is_regular_file(t.path() / format::kLockName));
    std::string message;
    BOOST_TEST((thrown([&] { format::IndexLock second(t.path(), 0); }, &message) ==
                ErrorCode::IndexLocked));
    BOOST_TEST(message.find("locked by another taxon-index") != std::string::npos, message);
    // Moved, the lock is still held.
    format::IndexLock moved(std::move(first));
    BOOST_TEST((thrown([&] { format::IndexLock third(t.path(), 0.1); }) == ErrorCode::IndexLocked));
  }
  // Released when its holder goes.
  format::IndexLock again(t.path(), 0);
  // A lock file that is not a regular file.
  TempDir odd;
  BOOST_REQUIRE(::mkfifo((odd.path() / format::kLockName).c_str(), 0600) == 0);
  BOOST_TEST((thrown([&] { format::IndexLock l(odd.path(), 0); }) == ErrorCode::IndexCorrupt));
}

BOOST_AUTO_TEST_SUITE_END()
