// SPDX-License-Identifier: MIT
// A heading's document as a Hit: what Searcher::search and
// Searcher::outline return for each heading, built one way; and a search's
// page of hits from its matches.
#ifndef TAXON_SEARCH_HITS_H_
#define TAXON_SEARCH_HITS_H_

#include <map>
#include <string>
#include <vector>

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
schema::HeadingData read_heading(SearcherState& state, Xapian::docid did, const PageRecord*& page);

/// The hit of a heading: its data, and what its page's record `page` (null
/// when it is missing) gives it: breadcrumb, path, title, language,
/// categories, tags and link. Rank, score and grouping are the caller's.
Hit heading_hit(schema::HeadingData&& d, const PageRecord* page, const std::string& base_url);

/// How many matches each group (a collapse key: a page, or a branch) has.
using GroupSizes = std::map<std::string, Xapian::doccount>;

/// The hits of `mset` onto `out`, ranked from options.offset + 1; grouped,
/// each tells how many more matches its group has (from `group_sizes` when
/// the groups were counted, else Xapian's collapse count).
void add_hits(SearcherState& state, const Xapian::MSet& mset, const SearchOptions& options,
              const GroupSizes* group_sizes, std::vector<Hit>& out);

}  // namespace taxon::search

#endif  // TAXON_SEARCH_HITS_H_
