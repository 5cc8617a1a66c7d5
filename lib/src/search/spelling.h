// SPDX-License-Identifier: MIT
// Spelling correction: a query's unknown words replaced by what the index's
// spelling table suggests (the "corrected" step of a search).
#ifndef TAXON_SEARCH_SPELLING_H_
#define TAXON_SEARCH_SPELLING_H_

#include <cstddef>
#include <string>
#include <vector>

#include "search/state.h"

namespace taxon::search {

// The normalized query with each word the index does not hold replaced by a
// spelling suggestion, or "" when nothing changes. Words the index holds are
// kept: Xapian would also propose a more frequent neighbour of a correct
// word ("situational" -> "situation"). Field values are left alone, and
// `keep_last` when it is the last word (being typed). At most `max_asked`
// unknown words are looked up (each lookup scans part of the spelling
// table); later ones stay as typed.
std::string correct_spelling(const std::string& normalized, SearcherState& state,
                             std::size_t max_asked, const std::string& keep_last,
                             const std::vector<std::string>& langs);

}  // namespace taxon::search

#endif  // TAXON_SEARCH_SPELLING_H_
