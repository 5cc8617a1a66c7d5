// SPDX-License-Identifier: MIT
// Searcher::Impl, for the files that implement Searcher's members.
#ifndef TAXON_SEARCH_SEARCHER_IMPL_H_
#define TAXON_SEARCH_SEARCHER_IMPL_H_

#include "search/state.h"
#include "taxon/searcher.h"

namespace taxon {

struct Searcher::Impl : search::SearcherState {};

}  // namespace taxon

#endif  // TAXON_SEARCH_SEARCHER_IMPL_H_
