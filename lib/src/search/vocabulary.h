// SPDX-License-Identifier: MIT
// The index's vocabulary as queries see it: its spelling table (every label
// and keyword word, with the number of pages using it) and the stem terms a
// word has in each query language.
#ifndef TAXON_SEARCH_VOCABULARY_H_
#define TAXON_SEARCH_VOCABULARY_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "format/schema.h"
#include "taxon/analyzer.h"

namespace taxon::search {

// How many pages use `word` (its count in the spelling table, which holds
// every label and keyword word), 0 for a word the index does not know.
inline Xapian::doccount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  auto it = db.spellings_begin();
  it.skip_to(word);
  return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

// Calls `f(word, pages)` for the vocabulary words that start with `prefix`,
// in order, at most `most` of them; `pages` is the word's count in the
// spelling table.
template <typename F>
void for_each_word_starting(const Xapian::Database& db, const std::string& prefix, std::size_t most,
                            F&& f) {
  std::size_t seen = 0;
  auto it = db.spellings_begin();
  it.skip_to(prefix);
  for (; it != db.spellings_end() && seen++ < most; ++it) {
    const std::string& w = *it;
    if (w.compare(0, prefix.size(), prefix) != 0) break;
    f(w, it.get_termfreq());
  }
}

// The stem terms of the index's vocabulary words (its spelling table: every
// label and keyword word) that start with `prefix`, in each of `langs`
// (Snowball names). When there are more than `limit`, the most frequent
// `limit` (a stem's frequency: its words' counts in the spelling table), as
// Xapian's WILDCARD_LIMIT_MOST_FREQUENT keeps a wildcard's most frequent
// terms: matching walks each one's postings. With a `budget`, only as many
// of those, most frequent first, as have frequencies adding up to no more
// than it, and always the first: a prefix of a letter or two starts
// thousands of words on a large index, and an OR of all their postings
// cannot be cut short by ranking. (The spelling table counts pages, not
// headings: on a page that uses a word, a few headings hold it.)
inline std::vector<std::string> prefix_stems(const Xapian::Database& db, Analyzer& analyzer,
                                             const std::string& prefix, std::size_t limit,
                                             const std::vector<std::string>& langs,
                                             Xapian::doccount budget = 0) {
  std::unordered_map<std::string, Xapian::doccount> freq;
  for_each_word_starting(db, prefix, std::numeric_limits<std::size_t>::max(),
                         [&](const std::string& w, Xapian::doccount pages) {
                           for (const auto& l : langs)
                             freq[std::string(schema::kStem) + analyzer.stem(w, l)] += pages;
                         });
  std::vector<std::pair<std::string, Xapian::doccount>> ranked(freq.begin(), freq.end());
  if (ranked.size() > limit || budget > 0) {
    const std::size_t kept = std::min(limit, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept),
                      ranked.end(), [](const auto& a, const auto& b) {
                        return a.second != b.second ? a.second > b.second : a.first < b.first;
                      });
    ranked.resize(kept);
    if (budget > 0) {
      std::size_t n = 0;
      for (std::uint64_t spent = 0; n < ranked.size(); ++n) {
        spent += ranked[n].second;
        if (n > 0 && spent > budget) break;
      }
      ranked.resize(n);
    }
  }
  std::vector<std::string> out;
  out.reserve(ranked.size());
  for (auto& [term, n] : ranked) out.push_back(std::move(term));
  std::sort(out.begin(), out.end());
  return out;
}

// The stem terms of words in each of `langs`: what the index holds for them.
inline std::vector<std::string> stem_terms(const std::vector<std::string>& words,
                                           Analyzer& analyzer,
                                           const std::vector<std::string>& langs) {
  std::vector<std::string> out;
  for (const auto& w : words)
    for (const auto& l : langs) out.push_back(std::string(schema::kStem) + analyzer.stem(w, l));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace taxon::search

#endif  // TAXON_SEARCH_VOCABULARY_H_
