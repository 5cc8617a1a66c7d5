// SPDX-License-Identifier: MIT
// The other words a query word may match besides its own stems: the
// completions of a word being typed (search as you type: "shortc" ->
// shortcode), and related forms (economy, economist for economic). The
// planner weighs them (planner.cpp); a search reports which completion it
// used.
#ifndef TAXON_SEARCH_WORD_FORMS_H_
#define TAXON_SEARCH_WORD_FORMS_H_

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "search/fields.h"
#include "search/state.h"

namespace taxon::search {

// Related forms kept a word: the most frequent (economy, economics,
// economist for economic); and completions of a word that is itself a word
// of the index, when the query found nothing as typed.
inline constexpr std::size_t kMaxRelatedForms = 10;

// The stem terms a word being typed completes to, none of them the word's
// own (`have`): those of its most frequent completion (the one reported),
// and the others.
struct Completions {
  std::vector<std::string> first, rest;
  bool any = false;  // the word has completions, `have`'s aside
};

// A word of the index completed only because nothing matched keeps to its
// most frequent completions, as related forms do; a word the index lacks
// gets every completion (up to max_expansion, see WildcardField). Either
// keeps to the wildcards' budget of pages (prefix_stems).
Completions completions(SearcherState& s, WildcardField& wildcards, const std::string& word,
                        const std::vector<std::string>& have, std::size_t max_expansion,
                        const std::vector<std::string>& langs);

// Whether `rest`, what follows a root, is an English ending (a suffix,
// derivational or inflectional, or none), after at most one consonant that
// alternates at the end of English roots: explo|de, explo|sion; relie|f,
// relie|ved; scien|ce, scien|tist.
bool english_ending(std::string_view rest);

// The vocabulary words (the spelling table's) that are English derivations
// of `word`: the two share a root of five letters or more (four when one of
// them is the root, or the root and e or y) and each goes on from it with an
// english_ending. explosion: exploding, explosive; science: scientist;
// anxiety: nothing (anxi is too short a root). The most frequent `limit`;
// `word` itself is left out. Only a word of ASCII letters has any.
std::vector<std::string> english_derivations(const Xapian::Database& vocab, const std::string& word,
                                             std::size_t limit);

// The related forms of query word `word` whose stems are `have` (which are
// left out): the stem terms of the vocabulary words that start with one of
// its stems, and with english among `langs`, those of its
// english_derivations. Stems shorter than five bytes start no words: they
// start too many unrelated ones ("art": article, artist).
std::vector<std::string> related_forms(SearcherState& s, const std::string& word,
                                       const std::vector<std::string>& have,
                                       std::size_t max_expansion,
                                       const std::vector<std::string>& langs);

// The completion of `last` a search reports: the one the best hit holds
// (`held`: the terms it matched, null without a hit), else the most
// frequent one; "" when there is none.
std::string completion_to_report(SearcherState& s, const std::string& last,
                                 const std::set<std::string>* held,
                                 const std::vector<std::string>& langs);

}  // namespace taxon::search

#endif  // TAXON_SEARCH_WORD_FORMS_H_
