// SPDX-License-Identifier: MIT
// A heading's document as a Hit: what Searcher::search and
// Searcher::outline return for each heading, built one way.
#ifndef TAXON_SEARCH_HITS_H_
#define TAXON_SEARCH_HITS_H_

#include <string>

#include <xapian.h>

#include "format/schema.h"
#include "search/state.h"
#include "taxon/searcher.h"

namespace taxon::search {

/// A page's link: `base_url` then its permalink, with one '/' between; ""
/// for a page without one, a permalink that is a full URL as it is.
std::string page_link(const std::string& base_url, const std::string& permalink);

/// The heading of document `did`, from its page's record, which `page`
/// gets (valid until the next SearcherState::page()). Throws
/// Error(IndexCorrupt) when the record does not hold it.
schema::HeadingData read_heading(SearcherState& state, Xapian::docid did,
                                 const schema::PageData*& page);

/// The hit of a heading: its data, and what its page's record `page` (null
/// when it is missing) gives it: breadcrumb, path, title, language,
/// categories, tags and link. Rank, score and grouping are the caller's.
Hit heading_hit(schema::HeadingData&& d, const schema::PageData* page, const std::string& base_url);

}  // namespace taxon::search

#endif  // TAXON_SEARCH_HITS_H_
