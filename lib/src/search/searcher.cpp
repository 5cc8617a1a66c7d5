// SPDX-License-Identifier: MIT
// Searcher::search: a query checked and normalized, its languages chosen,
// then built (query_builder.cpp) and run step by step (fallbacks.cpp,
// counting.cpp, hits.cpp); and the retry without remote shards that
// stopped answering.
#include "taxon/searcher.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "search/query_builder.h"
#include "search/query_text.h"
#include "search/search_run.h"
#include "search/searcher_impl.h"
#include "search/state.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "util/text.h"
#include "xapian_error.h"

namespace taxon {
namespace {

// Refuses, before the index is asked, a page beyond what Xapian can count
// and query text that is not UTF-8 or is too long.
void check_request(std::string_view query, const SearchOptions& options) {
  const QueryLimits& limits = options.limits;
  // Xapian counts hits in 32 bits: without this, a large offset would wrap.
  if (options.limit > limits.max_rank || options.offset > limits.max_rank - options.limit)
    throw Error(ErrorCode::InvalidArgument, "offset + limit is " + std::to_string(options.offset) +
                                                " + " + std::to_string(options.limit) +
                                                ": the limit is " +
                                                std::to_string(limits.max_rank));
  if (util::find_invalid_utf8(query) != std::string_view::npos)
    throw Error(ErrorCode::BadQuery, "query is not valid UTF-8");
  if (query.size() > limits.max_bytes)
    throw search::malformed_query(query, "the query is " + std::to_string(query.size()) +
                                             " bytes long: the limit is " +
                                             std::to_string(limits.max_bytes));
}

// The query's words as the index holds them (see search::normalize_query),
// refused when it has none or is beyond the limits.
std::string normalized_query(search::SearcherState& im, std::string_view query,
                             const SearchOptions& options) {
  static const std::set<std::string, std::less<>> kFields = {
      "label", "keywords", "category", "tag", "page", "lang", "level", "under"};
  std::string normalized = search::normalize_query(query, im.analyzer, kFields);
  if (util::trim(normalized).empty())
    throw Error(ErrorCode::BadQuery, "empty query: give at least one word");
  if (const std::string why = search::check_query(normalized, options.partial, options.limits);
      !why.empty())
    throw search::malformed_query(query, why);
  return normalized;
}

// The languages the words are stemmed in: the ones named (options, or
// lang: in the query) that the index holds stemmers for, else all the
// index's languages.
std::vector<std::string> query_languages(search::SearcherState& im, const std::string& normalized,
                                         const SearchOptions& options) {
  std::vector<std::string> langs;
  std::vector<std::string> named = options.languages;
  for (const auto& v : search::field_values(normalized, "lang")) named.push_back(v);
  for (const auto& code : named)
    if (const std::string l = Analyzer::stemmer_language(util::ascii_lower(code)); !l.empty())
      langs.push_back(l);
  std::sort(langs.begin(), langs.end());
  langs.erase(std::unique(langs.begin(), langs.end()), langs.end());
  if (langs.empty()) langs = im.languages;
  return langs;
}

SearchResult run_search(search::SearcherState& im, std::string_view query,
                        const SearchOptions& options) {
  check_request(query, options);
  SearchResult res;
  res.query = std::string(query);
  return xapian_try(im.path, [&]() -> SearchResult {
    const std::string normalized = normalized_query(im, query, options);
    const std::vector<std::string> langs = query_languages(im, normalized, options);
    for (const auto& l : langs) res.languages.push_back(l);
    search::QueryBuilder builder(im, options, langs, query);
    search::SearchRun run(im, options, builder, normalized, langs, res);
    if (!run.as_typed()) return std::move(res);
    run.fall_back();
    run.report();
    run.collect();
    return std::move(res);
  });
}

}  // namespace

SearchResult Searcher::search(std::string_view query, const SearchOptions& options) {
  Impl& im = *impl_;
  try {
    SearchResult r = run_search(im, query, options);
    r.missing_shards = im.missing;
    return r;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::Remote || !im.remote) throw;
    // A remote shard stopped answering since the index was opened: say
    // which, or leave it out and search again.
    const std::vector<std::string> dead = im.unreachable();
    if (dead.empty()) throw;
    if (!im.options.allow_partial) {
      std::string list;
      for (const auto& d : dead) list += (list.empty() ? "" : "; ") + d;
      throw Error(ErrorCode::Remote, im.path + ": " + list,
                  "start its xapian-tcpsrv, or pass --allow-partial to search the others", im.path);
    }
    reopen();
    SearchResult r = run_search(im, query, options);
    r.missing_shards = im.missing;
    return r;
  }
}

}  // namespace taxon
