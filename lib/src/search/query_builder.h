// SPDX-License-Identifier: MIT
// From a query's normalized text to the Xapian query a search step runs:
// Xapian's QueryParser with taxon's field processors, the planner (in the
// step's match mode), and the boosts of exact label words and whole labels.
#ifndef TAXON_SEARCH_QUERY_BUILDER_H_
#define TAXON_SEARCH_QUERY_BUILDER_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "search/fields.h"
#include "search/planner.h"
#include "search/state.h"
#include "taxon/error.h"
#include "taxon/searcher.h"

namespace taxon::search {

/// The error of a query refused as malformed; the message quotes the start
/// of `query` only: it may be long.
Error malformed_query(std::string_view query, const std::string& why);

/// Builds the queries of one search: the parser and its field processors
/// are set up once, and keep what they expanded between the builds of the
/// search's steps. The parser holds pointers to the field processors, so a
/// builder stays where it is made.
class QueryBuilder {
 public:
  /// `langs`: the query languages; `query`: the text as given, for messages.
  QueryBuilder(SearcherState& im, const SearchOptions& options,
               const std::vector<std::string>& langs, std::string_view query);
  QueryBuilder(const QueryBuilder&) = delete;
  QueryBuilder& operator=(const QueryBuilder&) = delete;

  /// How the next build matches the words.
  MatchMode mode;

  /// What the planner did in the last build.
  std::vector<std::string> optional_words;        // stop words that did not have to match
  bool derived = false;                           // some word matched related forms
  bool completed = false;                         // the word to complete had completions
  std::size_t planned_words = 0;                  // how many words the top AND holds
  std::vector<std::set<std::string>> word_terms;  // with mode.at_least: each word's terms

  /// The query for normalized `text`. Throws Error(BadQuery) for what is
  /// refused before parsing, and lets the parser's own errors through.
  Xapian::Query build(const std::string& text);
  /// build(), the parser's errors as Error(BadQuery) too.
  Xapian::Query build_checked(const std::string& text);

  /// Throws Error(BadQuery) for the first bad field value the builds met.
  /// (Field processors cannot throw through the parser, see FieldErrors.)
  void check_field_values() const {
    if (!field_errors_.first.empty()) throw malformed_query(query_, field_errors_.first);
  }
  WildcardField& wildcards() { return wildcard_fp_; }

 private:
  void set_up_parser(bool any);
  // The parser's tree of `text`, its words as typed.
  Xapian::Query parse(const std::string& text);
  // `main` with the exact label words and whole-label terms of `text` (and
  // of its parse `exact`) adding weight.
  Xapian::Query boost(Xapian::Query main, const Xapian::Query& exact, const std::string& text);
  // For each of `words` that languages of the index stem apart, its stem
  // in each language, on the pages of that language: a match made as the
  // page's own language makes it (empty when no word is stemmed apart).
  Xapian::Query own_language_stems(const std::vector<std::string>& words);
  // The whole-label terms (each with the languages that make it) as one query.
  Xapian::Query whole_label_query(const std::map<std::string, std::set<std::string>>& wholes) const;
  // The lang: codes of pages stemmed in these Snowball languages.
  std::vector<std::string> codes_of(const std::set<std::string>& stemmers) const;
  // `q` on the pages of these lang: codes only.
  Xapian::Query on_pages_in(const Xapian::Query& q, const std::vector<std::string>& codes) const;

  SearcherState& im_;
  const SearchOptions& options_;
  const std::vector<std::string>& langs_;
  // The index's lang: codes by stemming language, of the query's languages
  // only (`lang:`/`--lang` name some): the languages its words are stemmed in.
  const std::map<std::string, std::vector<std::string>> groups_;
  // Each word's related forms, found once a search (Planner).
  std::map<std::string, std::vector<std::string>> related_;
  const std::set<std::string>& stops_;
  std::string_view query_;
  std::size_t max_expansion_;
  WordsField label_fp_;
  WildcardField wildcard_fp_;
  KeywordsField keyword_fp_;
  TaxonomyField category_fp_;
  TaxonomyField tag_fp_;
  LangField lang_fp_;
  FieldErrors field_errors_;
  LevelField level_fp_;
  PageField page_fp_;
  UnderField under_fp_;
  Xapian::QueryParser qp_;
  unsigned flags_ = 0;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_QUERY_BUILDER_H_
