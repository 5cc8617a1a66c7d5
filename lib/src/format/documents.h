// SPDX-License-Identifier: MIT
// Page -> one Xapian document per heading: the terms and values the index
// holds for a heading, which the search side reads back (heading_terms) and
// folds query values into (fold_taxonomy). Runs on worker threads: it only
// needs its own Analyzer.
#ifndef TAXON_FORMAT_DOCUMENTS_H_
#define TAXON_FORMAT_DOCUMENTS_H_

#include <string>
#include <vector>

#include <xapian.h>

#include "format/schema.h"
#include "taxon/analyzer.h"
#include "taxon/page.h"

namespace taxon::format {

/// A page turned into documents, ready for the writer.
struct PreparedPage {
  schema::PageData data;
  std::string id;  // page id
  std::vector<Xapian::Document> docs;
  std::vector<std::string> spelling;          // label and keyword words, for the spelling table
  std::vector<schema::OutlineEntry> outline;  // for the page record (PageData::outline)
};

/// Folds a category or tag the way Hugo's URLs do: words of the Analyzer
/// joined by '-' ("International Entities" -> "international-entities").
std::string fold_taxonomy(Analyzer& analyzer, std::string_view value);

/// Builds the documents of `page`, version `version` of page `page_id`.
/// `lang` is the page's language code.
PreparedPage build_documents(const Page& page, const std::string& page_id, const std::string& lang,
                             std::uint64_t version, Analyzer& analyzer);

/// The terms build_documents gives heading `ordinal` of a page with this
/// outline and language (no page-level filter terms), for a reader that
/// cannot read a document's term list.
std::vector<std::string> heading_terms(const std::vector<schema::OutlineEntry>& outline,
                                       int ordinal, const std::string& lang, Analyzer& analyzer);

/// Words a page's outline contributed to the spelling table (for removal).
std::vector<std::string> spelling_words(const std::vector<schema::OutlineEntry>& outline,
                                        Analyzer& analyzer);

}  // namespace taxon::format

#endif  // TAXON_FORMAT_DOCUMENTS_H_
