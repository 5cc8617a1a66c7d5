// SPDX-License-Identifier: MIT
// Every parameter is checked before the index is asked: a bad one is a 400
// that says which and why. Errors of the index (missing, damaged, being
// rebuilt) are 503s whose detail goes to the log, not to the client: it
// names this machine's paths.
#include "api.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "taxon/printable.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace taxon::serve {
namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

constexpr std::size_t kSuggestExpansion = 10;

Answer bad_request(const std::string& why) { return {400, error_json(why)}; }

std::optional<std::string> param(const Params& params, const std::string& name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

// A whole number in [lo, hi] or, when missing, `fallback`; else an error message.
std::string whole_number(const Params& params, const std::string& name, std::size_t lo,
                         std::size_t hi, std::size_t fallback, std::size_t& out) {
  const auto v = param(params, name);
  out = fallback;
  if (!v) return {};
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi)
    return name + " must be a whole number from " + std::to_string(lo) + " to " +
           std::to_string(hi);
  out = n;
  return {};
}

// The query text, present, not blank and not too long; else an error message.
std::string query_text(const Params& params, const ApiConfig& config, std::string& out) {
  const auto q = param(params, "q");
  if (!q || q->find_first_not_of(" \t\r\n") == std::string::npos)
    return "q is missing: give the words to search for";
  if (q->size() > config.limits.max_bytes)
    return "q is " + std::to_string(q->size()) + " bytes long: the limit is " +
           std::to_string(config.limits.max_bytes);
  out = *q;
  return {};
}

bool index_side(ErrorCode c) {
  return c != ErrorCode::BadQuery && c != ErrorCode::InvalidArgument && c != ErrorCode::NotFound;
}

Answer unavailable(const Error& e) {
  std::cerr << "taxon-serve: index unavailable: " << printable(e.what()) << "\n";
  return {503, dump({{"error", "the index cannot be read"}, {"code", to_string(e.code())}})};
}

// Runs `f` with a Searcher. An error of the index may come from a commit or
// a rebuild under the Searcher: it is moved to the latest commit and `f`
// runs once more before the error is an answer.
Answer with_searcher(SearcherPool& pool, const std::function<Answer(Searcher&)>& f) {
  std::optional<SearcherPool::Lease> lease;
  try {
    lease.emplace(pool.acquire());
  } catch (const Error& e) {
    return unavailable(e);
  }
  try {
    try {
      return f(**lease);
    } catch (const Error& e) {
      if (!index_side(e.code())) throw;
      lease->reopen();
      return f(**lease);
    }
  } catch (const Error& e) {
    if (e.code() == ErrorCode::NotFound) return {404, error_json(e.what())};
    if (!index_side(e.code())) return bad_request(e.what());
    lease->discard();
    return unavailable(e);
  }
}

// Without --show-paths no file path of this machine leaves it: hits carry
// none, and the page facet shows paths relative to the site's folder.
void hide_paths(SearchResult& r, const ApiConfig& config) {
  if (config.show_paths) return;
  for (Hit& h : r.hits) h.path.clear();
  auto it = r.facets.find("page");
  if (it == r.facets.end()) return;
  std::vector<FacetCount> kept;
  for (FacetCount& c : it->second) {
    const fs::path rel = fs::path(c.value).lexically_relative(config.site_folder);
    const std::string s = rel.generic_string();
    if (rel.empty() || s.rfind("..", 0) == 0 || rel.is_absolute()) continue;
    kept.push_back({s, c.count});
  }
  it->second = std::move(kept);
}

json link(const Hit& h) {
  return {{"label", h.label},
          {"number", h.number},
          {"heading", h.heading()},
          {"level", h.level},
          {"ordinal", h.ordinal},
          {"anchor", h.anchor},
          {"breadcrumb", h.breadcrumb()},
          {"title", h.title},
          {"url", h.url}};
}

}  // namespace

std::string error_json(const std::string& message) { return dump({{"error", message}}); }

QueryLimits server_limits() {
  QueryLimits l;
  l.max_bytes = 512;
  l.max_words = 64;
  l.max_depth = 8;
  l.max_under_page = 4;
  l.max_wildcards = 4;
  l.max_corrections = 8;
  l.max_rank = 1000;
  return l;
}

Answer search(SearcherPool& pool, const Params& params, const ApiConfig& config) {
  SearchOptions so;
  so.base_url = config.base_url;
  so.limits = config.limits;
  std::string q, why;
  if (!(why = query_text(params, config, q)).empty()) return bad_request(why);
  if (!(why = whole_number(params, "limit", 1, config.max_limit, 10, so.limit)).empty())
    return bad_request(why);
  if (!(why = whole_number(params, "offset", 0, config.limits.max_rank - so.limit, 0, so.offset))
           .empty())
    return bad_request(why);
  if (const auto g = param(params, "group")) {
    if (*g == "page")
      so.group = GroupBy::Page;
    else if (*g == "branch")
      so.group = GroupBy::Branch;
    else if (*g != "none" && !g->empty())
      return bad_request("group must be none, page or branch");
  }
  if (const auto f = param(params, "facets")) {
    if (*f == "1" || *f == "true" || f->empty())
      so.facets = true;
    else if (*f != "0" && *f != "false")
      return bad_request("facets must be 1, true, 0 or false");
  }
  for (auto [it, end] = params.equal_range("lang"); it != end; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view code = rest.substr(0, comma);
      const bool letters =
          code.size() >= 2 && code.size() <= 3 &&
          code.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
              std::string_view::npos;
      if (!letters) return bad_request("lang takes ISO 639-1 language codes, like en or de,fr");
      so.languages.emplace_back(code);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return with_searcher(pool, [&](Searcher& s) -> Answer {
    SearchResult r = s.search(q, so);
    hide_paths(r, config);
    return {200, to_json(r, -1)};
  });
}

// The query with its last word, when it is a plain word being typed,
// written as a prefix of label words (`debris label:miti*`): suggestions
// are labels, and label words have far fewer headings than all the words
// a heading is found by (its ancestors' included), so a short prefix stays
// cheap. "" when the query has an operator, a field, quotes or a wildcard.
std::string label_prefix_query(const std::string& q, std::string& last) {
  if (q.empty() || q.back() == ' ') return {};
  std::size_t start = 0;
  for (std::size_t i = 0; i <= q.size(); ++i) {
    if (i < q.size() && q[i] != ' ') continue;
    const std::string token = q.substr(start, i - start);
    start = i + 1;
    if (token.empty()) continue;
    const std::string head = token.substr(0, token.find('/'));
    if (head == "AND" || head == "OR" || head == "NOT" || head == "XOR" || head == "NEAR" ||
        head == "ADJ")
      return {};
    if (token.find_first_of(":\"()*+-") != std::string::npos) return {};
  }
  const std::size_t space = q.rfind(' ');
  last = space == std::string::npos ? q : q.substr(space + 1);
  return (space == std::string::npos ? std::string() : q.substr(0, space + 1)) + "label:" + last +
         "*";
}

// The word of `label` that `typed` starts (compared as the index folds
// words), or "".
std::string completion_in(const std::string& label, const std::string& typed) {
  static thread_local Analyzer analyzer("en");
  const std::vector<std::string> t = analyzer.words(typed);
  if (t.size() != 1) return {};
  for (const auto& w : analyzer.words(label))
    if (w.size() > t[0].size() && w.compare(0, t[0].size(), t[0]) == 0) return w;
  return {};
}

Answer suggest(SearcherPool& pool, const Params& params, const ApiConfig& config) {
  SearchOptions so;
  so.base_url = config.base_url;
  so.limits = config.limits;
  so.spelling = false;
  so.group = GroupBy::Page;  // one suggestion a page: more of the site in a short list
  so.count = false;          // no total is shown: only the few hits are looked for
  // The word being typed matches its most frequent completions only: a
  // short prefix starts thousands of words at 1M headings, and a list of 8
  // shows the common ones.
  so.limits.max_expansion = std::min<std::size_t>(so.limits.max_expansion, kSuggestExpansion);
  std::string q, why;
  if (!(why = query_text(params, config, q)).empty()) return bad_request(why);
  if (!(why = whole_number(params, "limit", 1, config.max_suggestions, 8, so.limit)).empty())
    return bad_request(why);
  // A word still being typed is a prefix; after a space it is whole.
  so.partial = q.back() != ' ';
  std::string last;
  const std::string labelled = label_prefix_query(q, last);
  return with_searcher(pool, [&](Searcher& s) -> Answer {
    SearchResult r;
    json completed = nullptr;
    if (!labelled.empty()) {
      SearchOptions whole = so;
      whole.partial = false;
      r = s.search(labelled, whole);
      if (!r.hits.empty())
        if (const std::string to = completion_in(r.hits[0].label, last); !to.empty())
          completed = {{"from", last}, {"to", to}};
    }
    // No label has a word it starts: any word of the headings, completed.
    if (r.hits.empty()) {
      r = s.search(q, so);
      if (!r.completed_from.empty())
        completed = {{"from", r.completed_from}, {"to", r.completed_to}};
    }
    json list = json::array();
    for (const Hit& h : r.hits) list.push_back(link(h));
    return {200, dump({{"query", q}, {"completed", completed}, {"suggestions", list}})};
  });
}

Answer tree(SearcherPool& pool, const Params& params, const ApiConfig& config) {
  const auto page = param(params, "page");
  if (!page || page->empty()) return bad_request("page is missing: give the page's link");
  if (page->size() > config.max_page_bytes)
    return bad_request("page is " + std::to_string(page->size()) + " bytes long: the limit is " +
                       std::to_string(config.max_page_bytes));
  const std::string hit = param(params, "hit").value_or("");
  return with_searcher(pool, [&](Searcher& s) -> Answer {
    const PageOutline o = s.outline(*page, config.base_url);
    // The hit: its anchor, or its ordinal.
    int marked = -1;
    for (const Hit& h : o.headings)
      if (!hit.empty() && (h.anchor == hit || std::to_string(h.ordinal) == hit)) {
        marked = h.ordinal;
        break;
      }
    std::vector<int> branch;
    for (const Hit& h : o.headings)
      if (h.ordinal == marked)
        for (const Crumb& c : h.ancestors) branch.push_back(c.ordinal);
    json headings = json::array();
    for (const Hit& h : o.headings) {
      const bool on_path =
          h.ordinal == marked || std::find(branch.begin(), branch.end(), h.ordinal) != branch.end();
      headings.push_back({{"ordinal", h.ordinal},
                          {"parent", h.ancestors.empty() ? -1 : h.ancestors.back().ordinal},
                          {"level", h.level},
                          {"number", h.number},
                          {"label", h.label},
                          {"keywords", h.keywords},
                          {"anchor", h.anchor},
                          {"url", h.url},
                          {"hit", h.ordinal == marked},
                          {"on_path", on_path}});
    }
    json p = {{"title", o.title}, {"url", o.url}, {"lang", o.lang}};
    if (config.show_paths) p["path"] = o.path;
    return {200, dump({{"page", p},
                       {"hit", marked < 0 ? json(nullptr) : json(marked)},
                       {"headings", headings}})};
  });
}

Answer health(SearcherPool& pool) {
  try {
    auto lease = pool.acquire();
    return {200, dump({{"status", "ok"}, {"headings", lease->size()}})};
  } catch (const Error& e) {
    std::cerr << "taxon-serve: index unavailable: " << printable(e.what()) << "\n";
    return {503, dump({{"status", "unavailable"},
                       {"error", "the index cannot be read"},
                       {"code", to_string(e.code())}})};
  }
}

}  // namespace taxon::serve
