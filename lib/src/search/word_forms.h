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
#include <vector>

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
// gets every completion (up to max_expansion, see WildcardField).
Completions completions(SearcherState& s, WildcardField& wildcards, const std::string& word,
                        const std::vector<std::string>& have, std::size_t max_expansion,
                        const std::vector<std::string>& langs);

// The stem terms of the vocabulary words that start with one of a word's
// stems (`have`, which are left out): its related forms. Stems shorter than
// five bytes have none: they start too many unrelated words.
std::vector<std::string> related_forms(SearcherState& s, const std::vector<std::string>& have,
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
