// SPDX-License-Identifier: MIT
// One call of Searcher::search once its text is normalized: the steps it
// tries in turn until one finds something (fallbacks.cpp), how it runs and
// counts them, grouped totals and facets (counting.cpp), and its hits
// (hits.cpp).
#ifndef TAXON_SEARCH_SEARCH_RUN_H_
#define TAXON_SEARCH_SEARCH_RUN_H_

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/hits.h"
#include "search/query_builder.h"
#include "search/state.h"
#include "taxon/searcher.h"

namespace taxon::search {

class SearchRun {
 public:
  SearchRun(SearcherState& im, const SearchOptions& options, QueryBuilder& builder,
            const std::string& normalized, const std::vector<std::string>& langs,
            SearchResult& res);
  SearchRun(const SearchRun&) = delete;
  SearchRun& operator=(const SearchRun&) = delete;

  /// Runs the query as typed; false when it can match nothing (e.g. a
  /// filter that matches no heading): the result is then complete.
  bool as_typed();
  /// While nothing is found: the spelling correction, then widened (the
  /// last word completed anyway, related forms), then most of the words.
  void fall_back();
  /// Which completion was used, the steps tried, the query run, its total.
  void report();
  /// The grouped total, the hits and the facets.
  void collect();

 private:
  // Whether the last word starts words of the index, asked only when it
  // matters: the word is not one, or the query found nothing.
  bool may_complete();
  // Takes what the last build did as what the search did.
  void adopt();
  // Builds and runs step `name`, keeping it when it finds something.
  bool try_step(const std::string& name, const std::string& text);
  void most_words(const std::string& text, std::size_t words);

  // What a step's search found: its page of matches, and its total when
  // that was counted apart from the match (term_count in counting.cpp).
  struct Found {
    Xapian::MSet mset;
    std::optional<Xapian::doccount> total;
    // Nothing found (with --count the page is empty whatever was found).
    bool nothing() const;
    Xapian::doccount estimated() const;
    bool exact() const;
  };

  // counting.cpp
  void set_up_enquire();
  Found run(const Xapian::Query& query);
  std::optional<GroupSizes> count_groups();
  void count_facets();

  SearcherState& im_;
  const SearchOptions& options_;
  QueryBuilder& builder_;
  const std::string& normalized_;
  const std::vector<std::string>& langs_;
  SearchResult& res_;
  // Search as you type: the last word, when it is a plain word, also
  // matches the words it starts: at once when the index has no such word,
  // or when the query finds nothing as typed.
  std::string last_;
  bool last_known_ = false;
  bool completing_allowed_ = false;
  std::optional<bool> starts_;
  Xapian::Enquire enquire_;
  Xapian::doccount check_at_least_ = 0;
  // Hits a page, for facets: a stock spy, which remote shards can run.
  std::optional<Xapian::ValueCountMatchSpy> spy_;
  Xapian::Query q_;  // the query that found the hits
  Found found_;
  std::vector<std::string> steps_;
  bool used_completion_ = false;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_SEARCH_RUN_H_
