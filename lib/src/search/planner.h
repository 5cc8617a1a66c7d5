// SPDX-License-Identifier: MIT
// The planner: from the parser's tree of words as typed to what is matched
// (stems in every query language, completions and related forms, phrase
// and NEAR checks, optional stop words, "most words"), as the match mode of
// a search step asks.
#ifndef TAXON_SEARCH_PLANNER_H_
#define TAXON_SEARCH_PLANNER_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/fields.h"
#include "search/state.h"

namespace taxon::search {

// How a query's words are matched. search() tries the steps in turn until
// one finds something (fallbacks.cpp): the query as typed (stop words
// optional, the last word completed when it is no word of the index), the
// spelling correction, then widened: the last word completed anyway,
// related word forms, and most of the words.
struct MatchMode {
  bool stop_optional = true;  // stop words do not have to match (they count when they do)
  std::string complete;       // this word also matches the words it starts
  bool derive = false;        // words also match words starting with their stem
  // Headings with at least this many of the words (0: all of them).
  std::size_t at_least = 0;
};

// Turns the parser's tree of words as typed into what is matched: each word
// into its stems in every query language, quoted phrases, NEAR and synonyms
// that are phrases into their words checked against the stored text (the
// index keeps no positions), stop words into optional ones. Only the
// operators the parser builds are walked; their depth is already bounded.
class Planner {
 public:
  // `related`: each word's related forms found so far in this search (the
  // widened and most-words steps ask for the same words' forms).
  Planner(SearcherState& s, const std::vector<std::string>& langs,
          const std::set<std::string>& stops, WildcardField& wildcards, std::size_t max_expansion,
          const MatchMode& mode, std::map<std::string, std::vector<std::string>>& related)
      : s_(s),
        langs_(langs),
        stops_(stops),
        wildcards_(wildcards),
        max_expansion_(max_expansion),
        mode_(mode),
        related_(related) {}

  Xapian::Query plan(const Xapian::Query& exact) { return node(exact, true); }

  std::vector<std::string> optional;              // stop words that did not have to match
  bool derived = false;                           // some word matched related forms
  bool completed = false;                         // the word to complete had completions
  std::size_t top_words = 0;                      // how many words the top AND holds
  std::vector<std::set<std::string>> word_terms;  // with at_least: each word's terms

  // The Z terms of a word in each query language.
  std::vector<std::string> group(const std::string& word) const;

 private:
  // `target`: the node where "most words" applies (the root, or the left
  // side of a filter under it).
  Xapian::Query node(const Xapian::Query& q, bool target);
  // A term: a word, or a synonym that is a phrase.
  Xapian::Query leaf(const Xapian::Query& q);
  // A PHRASE or NEAR node.
  Xapian::Query window(const Xapian::Query& q);
  // AND, OR, FILTER and the other operators words stand under.
  Xapian::Query compound(const Xapian::Query& q, bool target);
  // A synonym group whose members were planned as `subs`.
  static Xapian::Query synonym(const std::vector<Xapian::Query>& subs);
  Xapian::Query word(const std::string& w);
  Xapian::Query phrase(const std::vector<std::string>& words, std::size_t window, bool ordered);
  Xapian::Query at_least(const std::vector<Xapian::Query>& subs, std::size_t m) const;
  static Xapian::Query some_of(const std::vector<Xapian::Query>& subs, std::size_t from,
                               std::size_t m);
  bool any_exists(const std::vector<std::string>& terms) const;

  SearcherState& s_;
  const std::vector<std::string>& langs_;
  const std::set<std::string>& stops_;
  WildcardField& wildcards_;
  std::size_t max_expansion_;
  const MatchMode& mode_;
  std::map<std::string, std::vector<std::string>>& related_;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_PLANNER_H_
