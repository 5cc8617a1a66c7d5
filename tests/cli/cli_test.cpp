// SPDX-License-Identifier: MIT
// taxon-index and taxon-query as processes: output and exit codes.
#include <boost/test/unit_test.hpp>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "process.h"
#include "taxon/indexer.h"

using taxon::test::quote;
using taxon::test::run;
using taxon::test::TempDir;

namespace {

const std::string kIndex = TAXON_INDEX_BIN;
const std::string kQuery = TAXON_QUERY_BIN;
const std::string kData = TAXON_DATA_DIR;
const std::string kSeedPath =
    "maps/stakeholders/international-entities/international-space-consortium.md";

// The data/ folder indexed once per suite.
struct DataIndex {
  TempDir t;
  std::string db;
  DataIndex() {
    db = (t.path() / ".taxon").string();
    auto r = run(kIndex + " --quiet --db " + quote(db) + " " + quote(kData));
    BOOST_REQUIRE_MESSAGE(r.exit == 0, "indexing data/ failed: " + r.err);
  }
  taxon::test::Run query(const std::string& args) const {
    return run("NO_COLOR=1 " + kQuery + " --db " + quote(db) + " " + args);
  }
};

// One index of data/ for the whole process.
const DataIndex& data_index() {
  static DataIndex d;
  return d;
}

// Gives test cases `db`, `t` and `query()` of the shared index.
struct Shared {
  const std::string& db = data_index().db;
  const TempDir& t = data_index().t;
  taxon::test::Run query(const std::string& args) const { return data_index().query(args); }
};

std::string first_block(const std::string& out) { return out.substr(0, out.find("\n\n")); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_index)

// Diagnostics name a file as the command line named its folder.
BOOST_AUTO_TEST_CASE(diagnostics_show_paths_as_given) {
  TempDir t;
  t.write("c/sub/bad.md", "---\ntitle: [broken\n---\n# X\n");
  auto r = run("cd " + quote(t.path().string()) + " && " + kIndex + " --quiet --db db c/");
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(r.err.rfind("c/sub/bad.md:", 0) == 0, r.err);
  r = run("cd " + quote(t.path().string()) + " && " + kIndex + " --quiet --db db2 ./c");
  BOOST_TEST(r.err.rfind("./c/sub/bad.md:", 0) == 0, r.err);
}

// On a terminal, the progress line fits its width and shows a percentage
// (script(1), from util-linux, gives the run a terminal 40 columns wide).
BOOST_AUTO_TEST_CASE(progress_fits_a_narrow_terminal) {
  TempDir t;
  std::string page;
  for (int h = 0; h < 40; ++h) page += "## Heading " + std::to_string(h) + "; words of heading\n";
  for (int i = 0; i < 3000; ++i)
    t.write("c/p" + std::to_string(i) + ".md", "# Page; root\n" + page);
  const std::string cmd = "stty cols 40; " + kIndex + " --jobs 1 --db " +
                          quote((t.path() / "db").string()) + " " +
                          quote((t.path() / "c").string());
  auto r = run("script -qec " + quote(cmd) + " /dev/null");
  BOOST_TEST_REQUIRE(r.exit == 0, r.out);
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start < r.out.size()) {
    std::size_t end = r.out.find_first_of("\r\n", start);
    if (end == std::string::npos) end = r.out.size();
    std::string seg = r.out.substr(start, end - start);
    start = end + 1;
    if (seg.rfind("\033[K", 0) == 0) seg.erase(0, 3);
    if (seg.find(" files") == std::string::npos || seg.find('%') == std::string::npos) continue;
    ++lines;
    BOOST_TEST(seg.size() <= 39u, "'" << seg << "' is wider than the terminal");
  }
  BOOST_TEST(lines > 0u, "no progress line in " << r.out);
}

BOOST_AUTO_TEST_CASE(indexes_then_reports_up_to_date) {
  TempDir t;
  t.write("c/a.md", "# Alpha; first words\n## Beta\n");
  const std::string cmd = "cd " + quote(t.path().string()) + " && " + kIndex + " c";
  auto first = run(cmd);
  BOOST_TEST(first.exit == 0);
  BOOST_TEST(first.out.find("1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; 2 headings") ==
             0);
  BOOST_TEST(std::filesystem::is_directory(t.path() / ".taxon"));
  auto second = run(cmd);
  BOOST_TEST(second.exit == 0);
  BOOST_TEST(second.out.find("index is up to date: 1 files unchanged") == 0);
  auto json = run(cmd + " --json");
  auto j = nlohmann::json::parse(json.out);
  BOOST_TEST(j["unchanged"].get<int>() == 1);
  BOOST_TEST(j["wrote"].get<bool>() == false);
}

BOOST_AUTO_TEST_CASE(bad_files_give_one_line_each_and_exit_1) {
  TempDir t;
  t.write("c/good.md", "# Good; words\n");
  t.write("c/utf8.md", "# fine\n\n\xC3\x28\n");
  t.write("c/tags.md", "---\ntitle: t\ntags: 7\n---\n# T\n");
  t.write("c/empty.md", "");
  auto r = run(kIndex + " --db " + quote((t.path() / "db").string()) + " " +
               quote((t.path() / "c").string()));
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(r.err.find("utf8.md:3: invalid UTF-8") != std::string::npos);
  BOOST_TEST(r.err.find("tags.md:3: tags must be a string or a list of strings, not a number") !=
             std::string::npos);
  BOOST_TEST(r.err.find("empty.md: empty file") != std::string::npos);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 3);
  BOOST_TEST(r.out.find("1 added") == 0);
  BOOST_TEST(r.out.find("3 skipped") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(locked_index_exits_4) {
  TempDir t;
  t.write("c/a.md", "# A\n");
  taxon::IndexOptions o;
  o.db = t.path() / "db";
  taxon::Indexer holder(o);
  auto r = run(kIndex + " --db " + quote(o.db.string()) + " " + quote((t.path() / "c").string()));
  BOOST_TEST(r.exit == 4);
  BOOST_TEST(r.err.find("index is locked by another taxon-index") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run(kIndex).exit == 2);
  BOOST_TEST(run(kIndex + " --no-such-flag x").exit == 2);
  auto help = run(kIndex + " --help");
  BOOST_TEST(help.exit == 0);
  BOOST_TEST(help.out.find("Exit status") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_query)

BOOST_FIXTURE_TEST_CASE(debris_mitigation_first_with_its_breadcrumb, Shared) {
  auto r = query("\"debris mitigation\"");
  BOOST_TEST(r.exit == 0);
  auto r2 = query("debris mitigation");
  BOOST_TEST(r2.exit == 0);
  const std::string block = first_block(r2.out);
  BOOST_TEST(block.find("Debris Mitigation  ") == 0);
  BOOST_TEST(block.find("\n  International Space Consortium \u203a 3. Strategic Objectives \u203a "
                        "3.2 Security Interests\n") != std::string::npos);
  BOOST_TEST(block.find(kSeedPath + ":44") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(security_interests_finds_the_branch, Shared) {
  auto r = query("security interests");
  BOOST_TEST(r.exit == 0);
  BOOST_TEST(first_block(r.out).find("3.2 Security Interests  ") == 0);
}

BOOST_FIXTURE_TEST_CASE(phrase_and_not, Shared) {
  auto phrase = query("--format tsv '\"situational awareness\"'");
  BOOST_TEST(phrase.exit == 0);
  BOOST_TEST(phrase.out.find("\tSpace Situational Awareness\t") != std::string::npos);
  auto reversed = query("'\"awareness situational\"'");
  BOOST_TEST(reversed.exit == 1);
  auto all = query("--format tsv --limit 100 consortium");
  auto without = query("--format tsv --limit 100 'consortium NOT debris'");
  BOOST_TEST(all.out.find("\tDebris Mitigation\t") != std::string::npos);
  BOOST_TEST(without.out.find("\tDebris Mitigation\t") == std::string::npos);
  BOOST_TEST(without.exit == 0);
}

BOOST_FIXTURE_TEST_CASE(json_output_holds_the_documented_fields, Shared) {
  auto r = query("--json --limit 3 debris mitigation");
  BOOST_TEST(r.exit == 0);
  auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(j["query"] == "debris mitigation");
  BOOST_TEST(j["estimated_total"].get<int>() >= 1);
  BOOST_REQUIRE(j["hits"].size() >= 1u);
  const auto& h = j["hits"][0];
  for (const char* field :
       {"rank", "score", "percent", "label", "number", "keywords", "level", "breadcrumb",
        "ancestors", "path", "line", "anchor", "url", "title", "lang", "categories", "tags"})
    BOOST_TEST(h.contains(field), "hit lacks field " << field);
  BOOST_TEST(h["label"] == "Debris Mitigation");
  BOOST_TEST(h["line"] == 44);
  BOOST_TEST(h["ancestors"].size() == 3u);
  BOOST_TEST(h["ancestors"][2]["number"] == "3.2");
  BOOST_TEST(h["categories"][0] == "stakeholders");
  BOOST_TEST(h["path"].get<std::string>().find(kSeedPath) != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(limit_caps_the_hits, Shared) {
  auto r = query("--json --limit 2 consortium");
  auto j = nlohmann::json::parse(r.out);
  BOOST_TEST(j["hits"].size() == 2u);
  BOOST_TEST(j["estimated_total"].get<int>() > 2);
}

BOOST_FIXTURE_TEST_CASE(no_hits_exits_1, Shared) {
  auto r = query("zzzyyyxxx");
  BOOST_TEST(r.exit == 1);
  BOOST_TEST(r.out.empty());
}

BOOST_FIXTURE_TEST_CASE(index_found_from_env_and_by_walking_up, Shared) {
  auto env = run("TAXON_DB=" + quote(db) + " " + kQuery + " debris");
  BOOST_TEST(env.exit == 0);
  std::filesystem::create_directories(t.path() / "a/b");
  auto up = run("cd " + quote((t.path() / "a/b").string()) + " && " + kQuery + " debris");
  BOOST_TEST(up.exit == 0);
  BOOST_TEST(up.out.find("Debris Mitigation") != std::string::npos);
}

// Compound names are found by their words, by the whole written as one
// word, and as written; and written apart, by the compound.
BOOST_AUTO_TEST_CASE(compound_names_are_found_by_their_parts_and_whole) {
  TempDir t;
  t.write("c/reading.md",
          "# ReadingTime; page variable\n## Options\n## Estimated ReadingTime value\n");
  t.write("c/remote.md", "# resources.GetRemote; fetch a remote resource\n## Caching\n");
  t.write("c/get.md", "# resources.Get; fetch a global resource\n");
  t.write("c/assets.md", "# Asset pipeline\n## Fingerprinting; cache-busting file names\n");
  t.write("c/style.md", "# Naming\n## snake_case_name; variable style\n");
  t.write("c/list.md", "# Reading list; books\n## Time zones\n## Front matter\n");
  const std::string db = (t.path() / "db").string();
  auto indexed =
      run(kIndex + " --quiet --db " + quote(db) + " " + quote((t.path() / "c").string()));
  BOOST_REQUIRE(indexed.exit == 0);
  // The label of the first hit of `q`, "" when none.
  auto first = [&](const std::string& q) {
    auto r = run(kQuery + " --db " + quote(db) + " --format tsv --no-spelling " + quote(q));
    if (r.exit != 0) return std::string();
    const std::string line = r.out.substr(0, r.out.find('\n'));
    std::size_t a = 0;
    for (int k = 0; k < 3; ++k) a = line.find('\t', a) + 1;
    return line.substr(a, line.find('\t', a) - a);
  };
  for (const char* q :
       {"reading time", "readingtime", "ReadingTime", "\"reading time\"", "label:readingtime",
        "label:ReadingTime", "reading time variable", "readingtim*"})
    BOOST_TEST(first(q) == "ReadingTime", "query " << q);
  BOOST_TEST(first("readingtime options") == "Options");
  // Phrases: in words written apart, or joined.
  BOOST_TEST(first("\"estimated reading time\"") == "Estimated ReadingTime value");
  BOOST_TEST(first("\"readingtime value\"") == "Estimated ReadingTime value");
  BOOST_TEST(first("\"estimated readingtime value\"") == "Estimated ReadingTime value");
  for (const char* q : {"resources get", "resourcesget", "resources.Get", "\"resources get\""})
    BOOST_TEST(first(q) == "resources.Get", "query " << q);
  for (const char* q : {"getremote", "GetRemote", "get remote", "resourcesgetremote"})
    BOOST_TEST(first(q) == "resources.GetRemote", "query " << q);
  BOOST_TEST(first("getremote caching") == "Caching");
  for (const char* q : {"cache busting", "cachebusting", "cache-busting", "keywords:cachebusting",
                        "\"cache busting file\"", "\"cachebusting file\""})
    BOOST_TEST(first(q) == "Fingerprinting", "query " << q);
  for (const char* q : {"snake case name", "snakecasename", "snake_case_name", "SnakeCaseName"})
    BOOST_TEST(first(q) == "snake_case_name", "query " << q);
  // Written apart in the page, a compound query finds them; the phrase
  // does not run from "Reading list" into "Time zones".
  BOOST_TEST(first("front-matter") == "Front matter");
  BOOST_TEST(first("FrontMatter") == "Front matter");
  auto phrase = run(kQuery + " --db " + quote(db) + " --format tsv '\"reading time\"'");
  BOOST_TEST(phrase.out.find("\tTime zones\t") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_errors)

BOOST_AUTO_TEST_CASE(no_index_found_is_one_line_and_exit_2) {
  TempDir t;
  auto r = run("cd " + quote(t.path().string()) + " && TAXON_DB= " + kQuery + " debris");
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err.find("taxon-query: error: no .taxon index in") == 0);
}

// The bash completion, sourced as bash-completion would, answers from the
// programs' own --help, and query words from the index.
BOOST_FIXTURE_TEST_CASE(bash_completion_completes_options_and_fields, Shared) {
  const std::filesystem::path script =
      std::filesystem::path(TAXON_DATA_DIR).parent_path() / "completions" / "taxon.bash";
  const std::string path = std::filesystem::path(TAXON_QUERY_BIN).parent_path().string() + ":" +
                           std::filesystem::path(TAXON_INDEX_BIN).parent_path().string();
  auto complete = [&](const std::string& words) {
    const std::string body = ". " + quote(script.string()) + "; COMP_WORDS=(" + words +
                             "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _taxon; "
                             "printf '%s\\n' \"${COMPREPLY[@]}\"";
    return run("PATH=" + quote(path) + ":$PATH bash -c " + quote(body)).out;
  };
  BOOST_TEST(complete("taxon-query --fo") == "--format\n");
  BOOST_TEST(complete("taxon-query --format t") == "text\ntsv\ntext0\n");
  BOOST_TEST(complete("taxon-query cat") == "category:\n");
  BOOST_TEST(complete("taxon-query --bat") == "--batch\n");
  BOOST_TEST(complete("taxon-index --commit") == "--commit-every\n");
  // As bash splits a line (at ':' and '"' too): the cursor at its end, and
  // what bash replaces is the part after the last of those.
  auto complete_line = [&](const std::string& line, const std::string& words) {
    const std::string body = ". " + quote(script.string()) + "; COMP_LINE=" + quote(line) +
                             "; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words +
                             "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _taxon; "
                             "printf '%s\\n' \"${COMPREPLY[@]}\"";
    return run("PATH=" + quote(path) + ":$PATH bash -c " + quote(body)).out;
  };
  const std::string q = "taxon-query --db " + db;
  BOOST_TEST(complete_line(q + " tag:internat", q + " tag : internat") ==
             "international-entities\n");
  BOOST_TEST(complete_line(q + " space under:\"Strategic Obj",
                           q + " space under : '\"Strategic' Obj") == "Strategic Objectives\"\n");
  BOOST_TEST(complete_line(q + " debr", q + " debr") == "debris\n");
  const auto options = run(kQuery + " --db " + quote(db) + " --complete category:");
  BOOST_TEST(options.exit == 0);
  BOOST_TEST(options.out.find("category:stakeholders\n") != std::string::npos);
  BOOST_TEST(run(kQuery + " --db " + quote(db) + " --complete zzzzq").exit == 1);
}

// Help as a reader writes options, and an option typo answered with the nearest one.
BOOST_AUTO_TEST_CASE(help_and_option_typos) {
  for (const std::string& bin : {kQuery, kIndex}) {
    const auto help = run(bin + " --help");
    BOOST_TEST(help.exit == 0);
    for (const char* internal : {"UINT", "ENUM", "FLOAT", "{false}", "Excludes", "Needs", "->"})
      BOOST_TEST(help.out.find(internal) == std::string::npos, bin << " --help shows " << internal);
  }
  BOOST_TEST(run(kQuery + " --help").out.find("-n,--limit N ") != std::string::npos);
  auto r = run(kQuery + " --limt 3 debris");
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err == "taxon-query: unknown option --limt (did you mean --limit?)\n");
  r = run(kIndex + " --comit-every=5 content");
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err == "taxon-index: unknown option --comit-every (did you mean --commit-every?)\n");
  r = run(kQuery + " --zzzzzzzzzz debris");
  BOOST_TEST(r.err == "taxon-query: unknown option --zzzzzzzzzz\n");
}

BOOST_AUTO_TEST_CASE(a_folder_that_is_not_there_exits_2_and_creates_nothing) {
  TempDir t;
  auto r = run("cd " + quote(t.path().string()) + " && " + kIndex + " contnet");
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err == "taxon-index: error: contnet: no such file or folder\n");
  BOOST_TEST(std::filesystem::is_empty(t.path()));
}

BOOST_FIXTURE_TEST_CASE(malformed_query_exits_2, Shared) {
  auto r = query("'debris AND ('");
  BOOST_TEST(r.exit == 2);
  BOOST_TEST(r.err.find("malformed query") != std::string::npos);
  BOOST_TEST(query("level:0").exit == 2);
  BOOST_TEST(query("--limit 0 debris").exit == 2);
}

BOOST_AUTO_TEST_CASE(other_schema_version_says_to_rebuild) {
  TempDir t;
  t.write("c/a.md", "# A; words\n");
  const std::string db = (t.path() / "db").string();
  BOOST_REQUIRE(
      run(kIndex + " --quiet --db " + quote(db) + " " + quote((t.path() / "c").string())).exit ==
      0);
  {
    Xapian::WritableDatabase w(db + "/shard-0", Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
    w.set_metadata("taxon:schema", "999");
    w.commit();
  }
  auto q = run(kQuery + " --db " + quote(db) + " words");
  BOOST_TEST(q.exit == 3);
  BOOST_TEST(q.err.find("rebuild") != std::string::npos);
  auto i = run(kIndex + " --db " + quote(db) + " " + quote((t.path() / "c").string()));
  BOOST_TEST(i.exit == 3);
  auto rebuilt =
      run(kIndex + " --rebuild --quiet --db " + quote(db) + " " + quote((t.path() / "c").string()));
  BOOST_TEST(rebuilt.exit == 0);
  BOOST_TEST(run(kQuery + " --db " + quote(db) + " words").exit == 0);
}

BOOST_AUTO_TEST_SUITE_END()
