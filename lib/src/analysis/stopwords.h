// SPDX-License-Identifier: MIT
// The small words of a language ("the", "on", "de", "und"): a query's words
// that do not have to match (they still count when they do).
#ifndef TAXON_ANALYSIS_STOPWORDS_H_
#define TAXON_ANALYSIS_STOPWORDS_H_

#include <string>
#include <string_view>

namespace taxon::analysis {

/// The stop words of a language, by Snowball name ("english"), as one
/// string of words separated by spaces, written as people type them (the
/// caller folds them like any text); "" for a language without a list.
std::string_view stopword_list(std::string_view language);

}  // namespace taxon::analysis

#endif  // TAXON_ANALYSIS_STOPWORDS_H_
