// SPDX-License-Identifier: MIT
// taxon-serve end to end: the real program on a free loopback port, over an
// index the real taxon-index built, driven with HTTP requests.
#define BOOST_TEST_MODULE taxon - serve tests
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <chrono>
#include <memory>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "../regress/regress.h"
#include "server_process.h"

using nlohmann::json;
using taxon::test::quote;
using taxon::test::run_limited;
using taxon::test::ServerProcess;
using taxon::test::TempDir;

namespace {

const char* kSpace =
    "---\ntitle: \"Space Consortium\"\ncategory: \"stakeholders\"\n---\n"
    "# Space Consortium; space consortium collaboration\n"
    "## 3. Strategic Objectives; strategic goals\n"
    "### 3.2 Security Interests; space security protection interests\n"
    "#### Debris Mitigation; space debris mitigation cleanup\n"
    "#### Critical Infrastructure; critical infrastructure resilience\n"
    "### 3.3 Economic Development; commercial growth\n"
    "## Hostile Headings; markup in labels\n"
    "### <script>alert(1)</script> Scripted; hostile script element\n"
    "### \"onmouseover=alert(1) Quoted; hostile attribute\n"
    "### [Linked](javascript:alert(1)) Heading; hostile link\n";

// Hugo keeps a url with "://" as it is: the page must not turn it into a link.
const char* kBadUrl =
    "---\ntitle: \"Odd Link\"\nurl: \"javascript://x%0aalert(1)\"\n---\n"
    "# Odd Link Page; hostile permalink\n";

const char* kOther = "---\ntitle: \"Ground Station\"\n---\n# Ground Station; antenna uplink\n";

// A site folder with an index built by the real taxon-index.
struct Site {
  TempDir dir;
  std::filesystem::path content, db;
  Site() {
    content = dir.path() / "content";
    db = dir.path() / ".taxon";
    dir.write("content/maps/space.md", kSpace);
    dir.write("content/maps/odd.md", kBadUrl);
    dir.write("content/other/ground.md", kOther);
    index();
  }
  void index() const {
    const auto r = run_limited(taxon::test::kIndexBin + " --quiet --db " + quote(db.string()) +
                               " " + quote(content.string()));
    BOOST_REQUIRE_MESSAGE(r.exit == 0, "taxon-index failed: " + r.err);
  }
  std::filesystem::path log(const std::string& name) const { return dir.path() / (name + ".log"); }
};

std::unique_ptr<httplib::Client> client_of(const ServerProcess& s) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", s.port());
  c->set_connection_timeout(5);
  c->set_read_timeout(15);
  c->set_write_timeout(5);
  return c;
}

std::string path_of(const std::string& base, const httplib::Params& p) {
  return httplib::append_query_params(base, p);
}

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  json doc;  // the body, when it is JSON
};

Reply get(httplib::Client& c, const std::string& path, const httplib::Headers& headers = {}) {
  Reply r;
  auto res = c.Get(path, headers);
  BOOST_REQUIRE_MESSAGE(res, "no answer to " + path.substr(0, 200));
  r.status = res->status;
  r.body = res->body;
  r.headers = res->headers;
  r.doc = json::parse(r.body, nullptr, false);
  return r;
}

// The shared server of a suite: one index, one process.
struct Shared {
  Site site;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<httplib::Client> client;
  Shared() {
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--db", site.db.string(), "--base-url", "https://example.org",
                                 "--cors-origin", "https://allowed.example", "--watch-interval",
                                 "50"},
        site.log("serve"));
    BOOST_REQUIRE_MESSAGE(server->started(), "taxon-serve did not start: " + server->log());
    client = client_of(*server);
  }
};

Shared& shared() {
  static Shared s;
  return s;
}

// The count of one line of /metrics, 0 when it is not there.
double metric(httplib::Client& c, const std::string& series) {
  const Reply r = get(c, "/metrics");
  BOOST_REQUIRE(r.status == 200);
  std::istringstream in(r.body);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return 0;
}

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(serve_api)

BOOST_AUTO_TEST_CASE(search_answers_the_taxon_query_json_document_without_paths) {
  auto& s = shared();
  for (const std::string q : {"debris mitigation", "space security", "grond station"}) {
    const Reply r =
        get(*s.client, path_of("/api/search", {{"q", q}, {"limit", "5"}, {"group", "page"}}));
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.headers.find("Content-Type")->second.rfind("application/json", 0) == 0);
    const auto cli =
        run_limited(taxon::test::kQueryBin + " --json --limit 5 --group page --db " +
                    quote(s.site.db.string()) + " --base-url https://example.org " + quote(q));
    BOOST_TEST_REQUIRE((cli.exit == 0 || cli.exit == 1));
    json want = json::parse(cli.out);
    json got = r.doc;
    BOOST_TEST_REQUIRE(!want["hits"].empty());
    for (auto& h : got["hits"]) {
      BOOST_TEST(h["path"] == "");  // no file path of the server
      BOOST_TEST(h["url"].get<std::string>().rfind("https://example.org/", 0) == 0);
    }
    for (auto& h : want["hits"]) h["path"] = "";
    BOOST_TEST(got.dump(1) == want.dump(1));
  }
}

BOOST_AUTO_TEST_CASE(search_takes_offset_facets_and_lang) {
  auto& s = shared();
  const Reply all = get(*s.client, path_of("/api/search", {{"q", "space"}, {"limit", "3"}}));
  const Reply next =
      get(*s.client, path_of("/api/search", {{"q", "space"}, {"limit", "2"}, {"offset", "1"}}));
  BOOST_TEST_REQUIRE(all.doc["hits"].size() == 3u);
  BOOST_TEST_REQUIRE(next.doc["hits"].size() == 2u);
  BOOST_TEST(next.doc["hits"][0]["label"] == all.doc["hits"][1]["label"]);
  BOOST_TEST(next.doc["hits"][0]["rank"] == 2);
  const Reply f = get(*s.client, path_of("/api/search", {{"q", "space"}, {"facets", "1"}}));
  BOOST_TEST_REQUIRE(f.status == 200);
  const auto& pages = f.doc["facets"]["page"];
  BOOST_TEST_REQUIRE(!pages.empty());
  // Relative to the site's folder, not this machine's path.
  BOOST_TEST(pages[0]["value"] == "content/maps/space.md");
  const Reply l = get(*s.client, path_of("/api/search", {{"q", "space"}, {"lang", "en"}}));
  BOOST_TEST(l.doc["languages"] == json::array({"english"}));
}

BOOST_AUTO_TEST_CASE(suggest_completes_the_word_being_typed) {
  auto& s = shared();
  const Reply r = get(*s.client, path_of("/api/suggest", {{"q", "debris miti"}}));
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.doc["completed"]["to"] == "mitigation");
  BOOST_TEST_REQUIRE(!r.doc["suggestions"].empty());
  const auto& top = r.doc["suggestions"][0];
  BOOST_TEST(top["label"] == "Debris Mitigation");
  BOOST_TEST(top["breadcrumb"] ==
             "Space Consortium \u203a 3. Strategic Objectives \u203a 3.2 Security Interests");
  BOOST_TEST(ends_with(top["url"].get<std::string>(), "#" + top["anchor"].get<std::string>()));
  // One word, still being typed.
  const Reply one = get(*s.client, path_of("/api/suggest", {{"q", "infra"}}));
  BOOST_TEST_REQUIRE(!one.doc["suggestions"].empty());
  BOOST_TEST(one.doc["suggestions"][0]["label"] == "Critical Infrastructure");
  // A prefix of no label word: completed over every word of the headings.
  const Reply keyword = get(*s.client, path_of("/api/suggest", {{"q", "resil"}}));
  BOOST_TEST_REQUIRE(!keyword.doc["suggestions"].empty());
  BOOST_TEST(keyword.doc["suggestions"][0]["label"] == "Critical Infrastructure");
  BOOST_TEST(keyword.doc["completed"]["to"] == "resilience");
  const Reply few = get(*s.client, path_of("/api/suggest", {{"q", "s"}, {"limit", "1"}}));
  BOOST_TEST(few.doc["suggestions"].size() <= 1u);
}

BOOST_AUTO_TEST_CASE(tree_gives_the_outline_with_the_hit_branch_marked) {
  auto& s = shared();
  const Reply hit = get(*s.client, path_of("/api/search", {{"q", "debris mitigation"}}));
  const std::string url = hit.doc["hits"][0]["url"];
  const std::string anchor = hit.doc["hits"][0]["anchor"];
  const std::string page = url.substr(0, url.find('#'));
  const Reply t = get(*s.client, path_of("/api/tree", {{"page", page}, {"hit", anchor}}));
  BOOST_TEST_REQUIRE(t.status == 200);
  BOOST_TEST(t.doc["page"]["title"] == "Space Consortium");
  BOOST_TEST(t.doc["page"]["url"] == page);
  BOOST_TEST(!t.doc["page"].contains("path"));
  const auto& hs = t.doc["headings"];
  BOOST_TEST_REQUIRE(hs.size() == 10u);
  std::vector<std::string> on_path, hits;
  for (const auto& h : hs) {
    if (h["on_path"]) on_path.push_back(h["label"]);
    if (h["hit"]) hits.push_back(h["label"]);
  }
  const std::vector<std::string> want_path = {"Space Consortium", "Strategic Objectives",
                                              "Security Interests", "Debris Mitigation"};
  BOOST_TEST(on_path == want_path, boost::test_tools::per_element());
  BOOST_TEST(hits == std::vector<std::string>{"Debris Mitigation"},
             boost::test_tools::per_element());
  BOOST_TEST(t.doc["hit"] == hs[3]["ordinal"]);
  BOOST_TEST(hs[3]["parent"] == hs[2]["ordinal"]);
  BOOST_TEST(hs[0]["parent"] == -1);
  BOOST_TEST(hs[3]["url"] == url);
  // The hostile labels come back as the text they are.
  BOOST_TEST(hs[9]["label"].get<std::string>().find("Heading") != std::string::npos);
  // By ordinal, and without the base URL, the same page.
  const Reply by_ordinal =
      get(*s.client,
          path_of("/api/tree", {{"page", page.substr(std::string("https://example.org").size())},
                                {"hit", std::to_string(hs[4]["ordinal"].get<int>())}}));
  BOOST_TEST(by_ordinal.doc["headings"][4]["hit"] == true);
  const Reply missing = get(*s.client, path_of("/api/tree", {{"page", "/no/such/page/"}}));
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.doc.contains("error"));
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_400_with_a_json_error) {
  auto& s = shared();
  const std::vector<httplib::Params> bad = {
      {{"q", "space"}, {"limit", "-1"}},
      {{"q", "space"}, {"limit", "100000"}},
      {{"q", "space"}, {"limit", "ten"}},
      {{"q", "space"}, {"offset", "5000"}},
      {{"q", "space"}, {"group", "chapter"}},
      {{"q", "space"}, {"facets", "maybe"}},
      {{"q", "space"}, {"lang", "en/../x"}},
      {{"limit", "5"}},
      {{"q", "   "}},
      {{"q", std::string(600, 'a')}},
      {{"q", "space NEAR label:debris"}},
  };
  for (const auto& p : bad) {
    const Reply r = get(*s.client, path_of("/api/search", p));
    BOOST_TEST(r.status == 400, "for " + path_of("/api/search", p).substr(0, 80));
    BOOST_TEST_REQUIRE(r.doc.is_object());
    BOOST_TEST(!r.doc["error"].get<std::string>().empty());
  }
  BOOST_TEST(get(*s.client, "/api/suggest").status == 400);
  BOOST_TEST(get(*s.client, "/api/suggest?q=space&limit=0").status == 400);
  BOOST_TEST(get(*s.client, "/api/tree").status == 400);
  BOOST_TEST(get(*s.client, path_of("/api/tree", {{"page", std::string(3000, 'a')}})).status ==
             400);
  // Longer than any URL the server reads.
  BOOST_TEST(get(*s.client, path_of("/api/search", {{"q", std::string(9000, 'a')}})).status == 414);
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_404_and_no_file_is_read) {
  auto& s = shared();
  for (const std::string p : {"/nope", "/api/nope", "/../../../../etc/passwd",
                              "/taxon-search.js/../../etc/passwd", "/static/index.html"}) {
    const Reply r = get(*s.client, p);
    BOOST_TEST((r.status == 404 || r.status == 400), p);
    BOOST_TEST(r.body.find("root:") == std::string::npos);
  }
  auto res = s.client->Post("/api/search?q=space", "x", "text/plain");
  BOOST_TEST_REQUIRE(res);
  BOOST_TEST(res->status == 405);
}

BOOST_AUTO_TEST_CASE(the_page_and_its_files_come_from_the_program) {
  auto& s = shared();
  const Reply page = get(*s.client, "/");
  BOOST_TEST_REQUIRE(page.status == 200);
  BOOST_TEST(page.headers.find("Content-Type")->second.rfind("text/html", 0) == 0);
  BOOST_TEST(page.headers.count("Content-Security-Policy") == 1u);
  BOOST_TEST(page.body.find("taxon-search.js") != std::string::npos);
  const Reply js = get(*s.client, "/taxon-search.js");
  BOOST_TEST(js.status == 200);
  BOOST_TEST(js.body.find("textContent") != std::string::npos);
  BOOST_TEST(js.body.find("innerHTML") == std::string::npos);
  BOOST_TEST(get(*s.client, "/taxon-search.css").status == 200);
}

BOOST_AUTO_TEST_CASE(cors_headers_only_for_allowed_origins) {
  auto& s = shared();
  const Reply ok = get(*s.client, "/api/search?q=space", {{"Origin", "https://allowed.example"}});
  auto it = ok.headers.find("Access-Control-Allow-Origin");
  BOOST_TEST_REQUIRE((it != ok.headers.end()));
  BOOST_TEST(it->second == "https://allowed.example");
  const Reply other = get(*s.client, "/api/search?q=space", {{"Origin", "https://evil.example"}});
  BOOST_TEST(other.status == 200);
  BOOST_TEST(other.headers.count("Access-Control-Allow-Origin") == 0u);
  const Reply none = get(*s.client, "/api/search?q=space");
  BOOST_TEST(none.headers.count("Access-Control-Allow-Origin") == 0u);
}

BOOST_AUTO_TEST_CASE(metrics_count_requests_by_endpoint_and_status) {
  auto& s = shared();
  const std::string ok = "taxon_serve_requests_total{endpoint=\"search\",code=\"200\"}";
  const std::string bad = "taxon_serve_requests_total{endpoint=\"search\",code=\"400\"}";
  const std::string timed = "taxon_serve_request_duration_seconds_count{endpoint=\"search\"}";
  const double ok0 = metric(*s.client, ok), bad0 = metric(*s.client, bad),
               timed0 = metric(*s.client, timed);
  get(*s.client, "/api/search?q=space");
  get(*s.client, "/api/search?q=space");
  get(*s.client, "/api/search?limit=-1&q=space");
  BOOST_TEST(metric(*s.client, ok) == ok0 + 2);
  BOOST_TEST(metric(*s.client, bad) == bad0 + 1);
  BOOST_TEST(metric(*s.client, timed) == timed0 + 3);
  BOOST_TEST(
      metric(*s.client,
             "taxon_serve_request_duration_seconds_bucket{endpoint=\"search\",le=\"+Inf\"}") ==
      timed0 + 3);
  const Reply h = get(*s.client, "/healthz");
  BOOST_TEST(h.status == 200);
  BOOST_TEST(h.doc["status"] == "ok");
  BOOST_TEST(h.doc["headings"] == 12);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(serve_index)

BOOST_AUTO_TEST_CASE(a_new_commit_is_found_without_a_restart) {
  Site site;
  ServerProcess server({"--db", site.db.string(), "--watch-interval", "50"}, site.log("reopen"));
  BOOST_TEST_REQUIRE(server.started(), server.log());
  auto c = client_of(server);
  // Every connection's searcher must move on: several clients at once.
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(client_of(server));
  for (auto& k : clients) BOOST_TEST(get(*k, "/api/search?q=nebula&limit=1").doc["hits"].empty());
  site.dir.write("content/maps/nebula.md", "# Nebula Survey; deep sky nebula catalogue\n");
  site.index();
  bool found = false;
  for (int i = 0; i < 200 && !found; ++i) {
    found = !get(*c, "/api/search?q=nebula").doc["hits"].empty();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_TEST(found);
  for (auto& k : clients)
    BOOST_TEST(get(*k, "/api/search?q=nebula").doc["hits"][0]["label"] == "Nebula Survey");
  BOOST_TEST(metric(*c, "taxon_serve_index_opens_total") >= 2);
}

BOOST_AUTO_TEST_CASE(no_index_is_503_until_there_is_one) {
  Site site;
  const auto db = site.dir.path() / "later" / ".taxon";
  ServerProcess server({"--db", db.string(), "--watch-interval", "50"}, site.log("missing"));
  BOOST_TEST_REQUIRE(server.started(), server.log());
  auto c = client_of(server);
  const Reply r = get(*c, "/api/search?q=space");
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.doc["error"] == "the index cannot be read");
  BOOST_TEST(r.body.find(site.dir.path().string()) == std::string::npos);
  BOOST_TEST(get(*c, "/api/suggest?q=spa").status == 503);
  BOOST_TEST(get(*c, "/api/tree?page=/maps/space/").status == 503);
  BOOST_TEST(get(*c, "/healthz").status == 503);
  BOOST_TEST(get(*c, "/").status == 200);  // the page still loads
  // Built now: answered without a restart.
  const auto made = run_limited(taxon::test::kIndexBin + " --quiet --db " + quote(db.string()) +
                                " " + quote(site.content.string()));
  BOOST_TEST_REQUIRE(made.exit == 0);
  BOOST_TEST(get(*c, "/api/search?q=space").status == 200);
  // Gone again: 503, not a crash.
  std::filesystem::remove_all(db);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = get(*c, "/api/search?q=space").status == 503;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_TEST(gone, server.log());
  BOOST_TEST(server.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_folder_that_is_no_index_is_503) {
  Site site;
  const auto junk = site.dir.path() / "junk";
  site.dir.write("junk/taxon.stub", "auto ../../etc\n");
  ServerProcess server({"--db", junk.string()}, site.log("junk"));
  BOOST_TEST_REQUIRE(server.started(), server.log());
  auto c = client_of(server);
  const Reply r = get(*c, "/api/search?q=space");
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.doc.contains("code"));
  BOOST_TEST(get(*c, "/healthz").status == 503);
}

BOOST_AUTO_TEST_CASE(show_paths_puts_the_file_paths_back) {
  Site site;
  ServerProcess server({"--db", site.db.string(), "--show-paths"}, site.log("paths"));
  BOOST_TEST_REQUIRE(server.started(), server.log());
  auto c = client_of(server);
  const Reply r = get(*c, "/api/search?q=debris");
  BOOST_TEST_REQUIRE(!r.doc["hits"].empty());
  BOOST_TEST(r.doc["hits"][0]["path"] == (site.content / "maps/space.md").string());
  const Reply t = get(*c, "/api/tree?page=maps/space.md");
  BOOST_TEST(t.doc["page"]["path"] == (site.content / "maps/space.md").string());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(serve_process)

BOOST_AUTO_TEST_CASE(sigterm_and_sigint_finish_and_exit_0) {
  Site site;
  for (int sig : {SIGTERM, SIGINT}) {
    ServerProcess server({"--db", site.db.string()}, site.log("stop"));
    BOOST_TEST_REQUIRE(server.started(), server.log());
    auto c = client_of(server);
    BOOST_TEST(get(*c, "/api/search?q=space").status == 200);  // a kept-alive connection
    BOOST_TEST(server.stop(sig) == 0);
    BOOST_TEST(server.log().find("stopping") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(bad_command_lines_and_busy_ports_have_their_exit_codes) {
  Site site;
  const std::string bin = taxon::test::kServeBin;
  BOOST_TEST(run_limited(bin + " --listen nowhere --db " + quote(site.db.string()), 10).exit == 2);
  BOOST_TEST(
      run_limited(bin + " --base-url javascript:x --db " + quote(site.db.string()), 10).exit == 2);
  BOOST_TEST(
      run_limited("env TAXON_DB= sh -c " + quote("cd / && " + bin + " --listen 127.0.0.1:0"), 10)
          .exit == 2);
  const auto help = run_limited(bin + " --help", 10);
  BOOST_TEST(help.exit == 0);
  BOOST_TEST(help.out.find("Exit status") != std::string::npos);
  ServerProcess first({"--db", site.db.string()}, site.log("first"));
  BOOST_TEST_REQUIRE(first.started());
  const auto busy = run_limited(bin + " --listen 127.0.0.1:" + std::to_string(first.port()) +
                                    " --db " + quote(site.db.string()),
                                10);
  BOOST_TEST(busy.exit == 3);
  BOOST_TEST(busy.err.find("cannot listen") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
