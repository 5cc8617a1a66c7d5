// SPDX-License-Identifier: MIT
// An index built one shard at a time (taxon-index --shard K/N), stubs of
// remote shards (taxon-index --stub), and those shards served by real
// xapian-tcpsrv processes on loopback.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "process.h"
#include "tcp_server.h"

namespace fs = std::filesystem;
using taxon::test::quote;
using taxon::test::TcpServer;
using taxon::test::TempDir;

namespace {

const std::string kIndex = TAXON_INDEX_BIN;
const std::string kQuery = TAXON_QUERY_BIN;
const std::string kData = TAXON_DATA_DIR;

// Every program run here is bounded in time: a hang fails the test.
taxon::test::Run run(const std::string& command) {
  return taxon::test::run("NO_COLOR=1 timeout -k 5 120 " + command);
}

taxon::test::Run index(const std::string& db, const std::string& args) {
  return run(kIndex + " --db " + quote(db) + " " + args);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t lines_of(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

// What a shard holds, for comparing two builds of it.
struct ShardContents {
  Xapian::doccount docs = 0;
  std::set<std::string> pages;  // page ids with a record
  std::string tag;              // taxon:shard
};

ShardContents contents(const fs::path& shard) {
  Xapian::Database db(shard.string());
  ShardContents c;
  c.docs = db.get_doccount();
  c.tag = db.get_metadata("taxon:shard");
  const std::string prefix = "taxon:page:";
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it)
    if (!db.get_metadata(*it).empty()) c.pages.insert((*it).substr(prefix.size()));
  return c;
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

// data/ indexed three ways, once for the suite: whole with two shards, and
// each of its two shards on its own.
struct Builds {
  TempDir t;
  std::string whole, s0, s1;
  Builds() {
    whole = (t.path() / "whole").string();
    s0 = (t.path() / "s0").string();
    s1 = (t.path() / "s1").string();
    auto w = index(whole, "--quiet --jobs 2 " + quote(kData));
    BOOST_REQUIRE_MESSAGE(w.exit == 0, "indexing data/ failed: " + w.err);
    auto a = index(s0, "--quiet --shard 0/2 " + quote(kData));
    BOOST_REQUIRE_MESSAGE(a.exit == 0, "indexing shard 0/2 failed: " + a.err);
    auto b = index(s1, "--quiet --shard 1/2 " + quote(kData));
    BOOST_REQUIRE_MESSAGE(b.exit == 0, "indexing shard 1/2 failed: " + b.err);
  }
};

const Builds& builds() {
  static Builds b;
  return b;
}

// The labels of a --json answer's hits, in order.
std::vector<std::string> labels(const std::string& json) {
  std::vector<std::string> out;
  const auto j = nlohmann::json::parse(json);
  for (const auto& h : j["hits"]) out.push_back(h["label"]);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_shards)

BOOST_AUTO_TEST_CASE(each_shard_built_alone_holds_what_the_whole_index_holds_there) {
  const Builds& b = builds();
  std::set<std::string> all;
  for (int k = 0; k < 2; ++k) {
    const fs::path alone = fs::path(k == 0 ? b.s0 : b.s1);
    const ShardContents whole = contents(fs::path(b.whole) / ("shard-" + std::to_string(k)));
    const ShardContents one = contents(alone / ("shard-" + std::to_string(k)));
    BOOST_TEST(whole.tag == std::to_string(k) + "/2");
    BOOST_TEST(one.tag == whole.tag);
    BOOST_TEST(one.docs == whole.docs);
    BOOST_TEST(one.docs > 1000u);
    BOOST_TEST((one.pages == whole.pages));
    all.insert(one.pages.begin(), one.pages.end());
    // The folder holds that one shard, and its stub lists it alone.
    const std::set<std::string> expected = {"taxon.index", "taxon.lock", "taxon.stub",
                                            "shard-" + std::to_string(k)};
    BOOST_TEST((entries(alone) == expected));
    BOOST_TEST(read_text(alone / "taxon.stub") == "auto shard-" + std::to_string(k) + "\n");
  }
  // Between them, the two hold every page of data/, and no page twice.
  const ShardContents w0 = contents(fs::path(b.whole) / "shard-0");
  const ShardContents w1 = contents(fs::path(b.whole) / "shard-1");
  BOOST_TEST(all.size() == w0.pages.size() + w1.pages.size());
  BOOST_TEST(all.size() > 1000u);
}

BOOST_AUTO_TEST_CASE(a_shard_alone_answers_like_its_shard_in_the_whole_index) {
  const Builds& b = builds();
  auto whole = run(kQuery + " --db " + quote(b.whole + "/shard-1") + " --count 'level:1..6'");
  auto alone = run(kQuery + " --db " + quote(b.s1 + "/shard-1") + " --count 'level:1..6'");
  BOOST_TEST(whole.exit == 0);
  BOOST_TEST(alone.exit == 0);
  BOOST_TEST(alone.out == whole.out);
  // The folder of one shard is not a whole index: one line says what it is.
  auto folder = run(kQuery + " --db " + quote(b.s1) + " space");
  BOOST_TEST(folder.exit == 3);
  BOOST_TEST(folder.err.find("holds only shard 1/2 of an index") != std::string::npos, folder.err);
}

BOOST_AUTO_TEST_CASE(the_summary_counts_the_pages_left_to_other_shards) {
  TempDir t;
  for (int i = 0; i < 12; ++i)
    t.write("c/p" + std::to_string(i) + ".md", "# Page " + std::to_string(i) + "; words\n");
  const std::string c = quote((t.path() / "c").string());
  auto a = index((t.path() / "a").string(), "--json --shard 0/2 " + c);
  auto b = index((t.path() / "b").string(), "--json --shard 1/2 " + c);
  BOOST_REQUIRE(a.exit == 0);
  BOOST_REQUIRE(b.exit == 0);
  auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  BOOST_TEST(ja["shard"] == "0/2");
  BOOST_TEST(jb["shard"] == "1/2");
  BOOST_TEST(ja["added"].get<int>() + jb["added"].get<int>() == 12);
  BOOST_TEST(ja["other_shards"].get<int>() == jb["added"].get<int>());
  BOOST_TEST(jb["other_shards"].get<int>() == ja["added"].get<int>());
  BOOST_TEST(ja["added"].get<int>() > 0);
  BOOST_TEST(jb["added"].get<int>() > 0);
  auto text = index((t.path() / "a").string(), "--shard 0/2 " + c);
  BOOST_TEST(text.exit == 0);
  BOOST_TEST(text.out.find(", " + std::to_string(ja["other_shards"].get<int>()) +
                           " for other shards") != std::string::npos);
  // --shard 0/1 is the whole index, in one shard.
  auto one = index((t.path() / "one").string(), "--json --shard 0/1 " + c);
  BOOST_TEST(nlohmann::json::parse(one.out)["added"].get<int>() == 12);
  BOOST_TEST(nlohmann::json::parse(one.out)["other_shards"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(bad_shard_values_are_one_line_and_exit_2) {
  TempDir t;
  t.write("c/a.md", "# Alpha\n");
  const std::string db = (t.path() / "db").string();
  for (const std::string v : {"2/2", "0/0", "1", "x/2", "1/", "/2", "-1/2", "0/1025", "1.5/2",
                              "0/2/3", "", " 0/2", "99999999999/2"}) {
    auto r = index(db, "--shard " + quote(v) + " " + quote((t.path() / "c").string()));
    BOOST_TEST(r.exit == 2, "--shard '" << v << "' gave exit " << r.exit);
    BOOST_TEST(lines_of(r.err) == 1u, "--shard '" << v << "': " << r.err);
    BOOST_TEST(r.err.find("--shard") != std::string::npos, r.err);
  }
  auto k = index(db, "--shard 2/2 c");
  BOOST_TEST(k.err.find("0/2 to 1/2") != std::string::npos, k.err);
  auto jobs = index(db, "--shard 0/2 --jobs 2 " + quote((t.path() / "c").string()));
  BOOST_TEST(jobs.exit == 2);
  BOOST_TEST(!fs::exists(db), "nothing is written on a bad command line");
}

BOOST_AUTO_TEST_CASE(a_folder_refuses_another_shard_or_shard_count) {
  TempDir t;
  for (int i = 0; i < 6; ++i)
    t.write("c/p" + std::to_string(i) + ".md", "# Page " + std::to_string(i) + "\n");
  const std::string c = quote((t.path() / "c").string());
  const std::string one = (t.path() / "one").string();
  const std::string whole = (t.path() / "whole").string();
  BOOST_REQUIRE(index(one, "--quiet --shard 0/2 " + c).exit == 0);
  BOOST_REQUIRE(index(whole, "--quiet --jobs 2 " + c).exit == 0);
  const ShardContents before = contents(fs::path(one) / "shard-0");

  auto other = index(one, "--shard 1/2 " + c);
  BOOST_TEST(other.exit == 2);
  BOOST_TEST(other.err.find("holds shard 0/2, not shard 1/2") != std::string::npos, other.err);
  BOOST_TEST(other.err.find("hint: pass --shard 0/2") != std::string::npos, other.err);
  auto count = index(one, "--shard 0/3 " + c);
  BOOST_TEST(count.exit == 2);
  BOOST_TEST(count.err.find("holds shard 0/2, not shard 0/3") != std::string::npos, count.err);
  auto plain = index(one, c);
  BOOST_TEST(plain.exit == 2);
  BOOST_TEST(plain.err.find("holds only shard 0/2") != std::string::npos, plain.err);
  auto into_whole = index(whole, "--shard 0/2 " + c);
  BOOST_TEST(into_whole.exit == 2);
  BOOST_TEST(into_whole.err.find("holds an index of 2 shards") != std::string::npos,
             into_whole.err);
  // None of them wrote anything.
  const ShardContents after = contents(fs::path(one) / "shard-0");
  BOOST_TEST(after.docs == before.docs);
  BOOST_TEST(after.tag == "0/2");
  BOOST_TEST(contents(fs::path(whole) / "shard-0").tag == "0/2");
  BOOST_TEST(contents(fs::path(whole) / "shard-1").tag == "1/2");

  // --rebuild makes the folder the other shard.
  auto rebuilt = index(one, "--quiet --rebuild --shard 1/2 " + c);
  BOOST_TEST(rebuilt.exit == 0, rebuilt.err);
  const std::string stub = read_text(fs::path(one) / "taxon.stub");
  BOOST_TEST(stub.rfind("auto shard-1.", 0) == 0, stub);
  BOOST_TEST(lines_of(stub) == 1u);
  const std::string name = stub.substr(5, stub.size() - 6);
  BOOST_TEST(contents(fs::path(one) / name).tag == "1/2");
  BOOST_TEST(!fs::exists(fs::path(one) / "shard-0"), "the old shard is gone");
  BOOST_TEST(index(one, "--quiet --shard 1/2 " + c).exit == 0);
}

BOOST_AUTO_TEST_CASE(rerunning_a_shard_updates_and_removes_its_own_pages_only) {
  TempDir t;
  for (int i = 0; i < 10; ++i)
    t.write("c/p" + std::to_string(i) + ".md",
            "# Page " + std::to_string(i) + "; marker" + std::string(1, char('a' + i)) + "\n");
  const std::string c = quote((t.path() / "c").string());
  const std::string db = (t.path() / "db").string();
  BOOST_REQUIRE(index(db, "--quiet --shard 0/2 " + c).exit == 0);

  // Which pages landed in shard 0, and which not, as the shard answers.
  auto listed = run(kQuery + " --db " + quote(db + "/shard-0") + " --json --limit 50 'level:1'");
  BOOST_REQUIRE(listed.exit == 0);
  std::set<std::string> mine;
  const auto hits = nlohmann::json::parse(listed.out)["hits"];
  for (const auto& h : hits) mine.insert(h["path"]);
  BOOST_REQUIRE(!mine.empty());
  BOOST_REQUIRE(mine.size() < 10u);
  std::string other;
  for (int i = 0; i < 10 && other.empty(); ++i) {
    const std::string p = (t.path() / "c" / ("p" + std::to_string(i) + ".md")).string();
    if (!mine.count(p)) other = p;
  }
  const std::string page = *mine.begin();
  auto query = [&](const std::string& q) {
    return run(kQuery + " --db " + quote(db + "/shard-0") + " --all --json " + quote(q));
  };

  // A page of shard 0 edited: updated.
  { std::ofstream(page, std::ios::app) << "## Freshly Added; zanzibarish\n"; }
  fs::last_write_time(page, fs::last_write_time(page) + std::chrono::seconds(5));
  auto edited = index(db, "--json --shard 0/2 " + c);
  BOOST_REQUIRE(edited.exit == 0);
  BOOST_TEST(nlohmann::json::parse(edited.out)["updated"].get<int>() == 1);
  auto found = query("zanzibarish");
  BOOST_TEST(found.exit == 0);
  BOOST_TEST(labels(found.out) == std::vector<std::string>{"Freshly Added"});

  // A page of shard 1 edited: not shard 0's business.
  { std::ofstream(other, std::ios::app) << "## Elsewhere; quuxotic\n"; }
  fs::last_write_time(other, fs::last_write_time(other) + std::chrono::seconds(5));
  auto elsewhere = index(db, "--json --shard 0/2 " + c);
  BOOST_REQUIRE(elsewhere.exit == 0);
  auto je = nlohmann::json::parse(elsewhere.out);
  BOOST_TEST(je["updated"].get<int>() == 0);
  BOOST_TEST(je["wrote"].get<bool>() == false);
  BOOST_TEST(query("quuxotic").exit == 1);

  // The page of shard 0 deleted: gone from it.
  fs::remove(page);
  auto removed = index(db, "--json --shard 0/2 " + c);
  BOOST_REQUIRE(removed.exit == 0);
  BOOST_TEST(nlohmann::json::parse(removed.out)["removed"].get<int>() == 1);
  BOOST_TEST(query("zanzibarish").exit == 1);
  BOOST_TEST(contents(fs::path(db) / "shard-0").pages.size() == mine.size() - 1);
}

BOOST_AUTO_TEST_CASE(the_stub_writer_prints_remote_lines_in_shard_order) {
  auto r = run(kIndex + " --stub 127.0.0.1:7001 [::1]:7002 search-2.example:0800");
  BOOST_TEST(r.exit == 0, r.err);
  BOOST_TEST(r.out == "remote 127.0.0.1:7001\nremote [::1]:7002\nremote search-2.example:800\n");
  BOOST_TEST(r.err.empty());

  TempDir t;
  const std::string file = (t.path() / "cluster.stub").string();
  auto w = run(kIndex + " --stub h0:1 h1:2 -o " + quote(file));
  BOOST_TEST(w.exit == 0, w.err);
  BOOST_TEST(w.out.empty());
  BOOST_TEST(read_text(file) == "remote h0:1\nremote h1:2\n");
  BOOST_TEST((entries(t.path()) == std::set<std::string>{"cluster.stub"}));
}

BOOST_AUTO_TEST_CASE(bad_stub_addresses_are_one_line_and_exit_2) {
  TempDir t;
  const std::string file = (t.path() / "s.stub").string();
  for (const std::string a :
       {":xapian-progsrv", "", "host", "host:", ":80", "host:0", "host:65536", "host:8o", "::1:80",
        "a b:80", "[]:80", "[zz]:80", "h#x:1", "h:+80", "h:-1"}) {
    auto r = run(kIndex + " --stub ok:1 " + quote(a) + " -o " + quote(file));
    BOOST_TEST(r.exit == 2, "'" << a << "' gave exit " << r.exit);
    BOOST_TEST(lines_of(r.err) == 1u, "'" << a << "': " << r.err);
    BOOST_TEST(r.err.find("taxon-index: --stub: '") == 0, r.err);
    BOOST_TEST(!fs::exists(file));
  }
  auto twice = run(kIndex + " --stub h:1 h:01");
  BOOST_TEST(twice.exit == 2);
  BOOST_TEST(twice.err.find("listed twice") != std::string::npos, twice.err);
  auto with_index = run(kIndex + " --rebuild --stub h:1");
  BOOST_TEST(with_index.exit == 2);
  auto output_alone = run(kIndex + " -o " + quote(file) + " " + quote(kData));
  BOOST_TEST(output_alone.exit == 2);
  auto nothing = run(kIndex);
  BOOST_TEST(nothing.exit == 2);
  BOOST_TEST(lines_of(nothing.err) == 1u, nothing.err);
  auto unwritable = run(kIndex + " --stub h:1 -o " + quote((t.path() / "no/such/dir/s").string()));
  BOOST_TEST(unwritable.exit == 3);
  BOOST_TEST(unwritable.err.find("cannot write the stub") != std::string::npos, unwritable.err);
}

BOOST_AUTO_TEST_CASE(shards_served_by_xapian_tcpsrv_answer_like_the_local_index) {
  const Builds& b = builds();
  // A shard's folder served as its stub (it names the shard's current
  // generation), or its database folder.
  TcpServer first({b.s0 + "/taxon.stub"});
  TcpServer second({b.s1 + "/shard-1"});
  TempDir t;
  const std::string stub = (t.path() / "cluster.stub").string();
  auto w =
      run(kIndex + " --stub " + first.address() + " " + second.address() + " -o " + quote(stub));
  BOOST_REQUIRE_MESSAGE(w.exit == 0, w.err);

  const std::string q = " --json --limit 5 'debris mitigation'";
  auto local = run(kQuery + " --db " + quote(b.whole) + q);
  auto remote = run(kQuery + " --allow-remote --db " + quote(stub) + q);
  BOOST_REQUIRE_MESSAGE(local.exit == 0, local.err);
  BOOST_REQUIRE_MESSAGE(remote.exit == 0, remote.err);
  const auto l = labels(local.out), r = labels(remote.out);
  BOOST_REQUIRE(!l.empty());
  BOOST_TEST(l[0] == "Debris Mitigation");
  BOOST_TEST(r[0] == l[0]);
  BOOST_TEST(nlohmann::json::parse(remote.out)["estimated_total"] ==
             nlohmann::json::parse(local.out)["estimated_total"]);

  // The shards in the wrong order: refused by their shard tags.
  const std::string swapped = (t.path() / "swapped.stub").string();
  BOOST_REQUIRE(
      run(kIndex + " --stub " + second.address() + " " + first.address() + " -o " + quote(swapped))
          .exit == 0);
  auto refused = run(kQuery + " --allow-remote --db " + quote(swapped) + q);
  BOOST_TEST(refused.exit == 3);
  BOOST_TEST(refused.err.find("is shard 1/2, expected 0/2") != std::string::npos, refused.err);
}

BOOST_AUTO_TEST_CASE(a_stub_mixing_shard_counts_is_refused) {
  const Builds& b = builds();
  TempDir t;
  const std::string three = (t.path() / "three").string();
  BOOST_REQUIRE(index(three, "--quiet --shard 1/3 " + quote(kData)).exit == 0);
  t.write("mixed.stub", "auto " + b.s0 + "/shard-0\nauto " + three + "/shard-1\n");
  auto r = run(kQuery + " --db " + quote((t.path() / "mixed.stub").string()) + " debris");
  BOOST_TEST(r.exit == 3);
  BOOST_TEST(r.err.find("error:") != std::string::npos);
  BOOST_TEST(r.err.find("line 2 of the stub is shard 1/3, expected 1/2") != std::string::npos,
             r.err);
  BOOST_TEST(r.out.empty());
  // The same two shards of one count are read.
  t.write("good.stub", "auto " + b.s0 + "/shard-0\nauto " + b.s1 + "/shard-1\n");
  auto good = run(kQuery + " --db " + quote((t.path() / "good.stub").string()) +
                  " --json --limit 5 'debris mitigation'");
  auto local = run(kQuery + " --db " + quote(b.whole) + " --json --limit 5 'debris mitigation'");
  BOOST_TEST(good.exit == 0, good.err);
  BOOST_TEST(labels(good.out) == labels(local.out));
}

BOOST_AUTO_TEST_SUITE_END()
