// SPDX-License-Identifier: MIT
// The phrase, ADJ and NEAR check (WindowSource): the words of a phrase at
// increasing positions, or NEAR's words in any order, within a window of the
// stored label and keyword phrase, as typed and with compounds joined.
#include <algorithm>

#include "search/checks.h"

namespace taxon::search {

std::vector<std::string> WindowSource::candidate_terms(const Xapian::Database& db) const {
  std::size_t best = 0;
  Xapian::doccount best_freq = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    Xapian::doccount f = 0;
    for (const auto& t : groups_[g]) f += db.get_termfreq(t);
    if (g == 0 || f < best_freq) best = g, best_freq = f;
  }
  return groups_.empty() ? std::vector<std::string>{} : groups_[best];
}

Xapian::Query WindowSource::candidates(const Xapian::Database&) const {
  std::vector<Xapian::Query> all;
  for (const auto& g : groups_) all.emplace_back(Xapian::Query::OP_OR, g.begin(), g.end());
  return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
}

bool WindowSource::holds(const schema::HeadingData& d) {
  const std::vector<std::string>& want = words_;
  // The distinct words wanted, how many times each, and the positions of
  // the stored words that are one of them (with which one), in order.
  std::vector<std::string> distinct;
  std::vector<std::size_t> need;
  std::vector<std::size_t> index(want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    auto it = std::find(distinct.begin(), distinct.end(), want[k]);
    index[k] = static_cast<std::size_t>(it - distinct.begin());
    if (it == distinct.end()) {
      distinct.push_back(want[k]);
      need.push_back(0);
    }
    ++need[index[k]];
  }
  Hits hits;  // (position, distinct word)
  std::size_t pos = 0;
  auto place = [&](const std::vector<std::string>& text) {
    for (const auto& w : text) {
      ++pos;
      auto it = std::find(distinct.begin(), distinct.end(), w);
      if (it != distinct.end())
        hits.emplace_back(pos, static_cast<std::size_t>(it - distinct.begin()));
    }
  };
  auto check = [&](const std::vector<std::string>& label,
                   const std::vector<std::string>& keywords) {
    hits.clear();
    pos = 0;
    place(label);
    ++pos;
    place(keywords);
    return ordered_ ? in_order(hits, index) : together(hits, need);
  };
  std::vector<Analyzer::Compound> lc, kc;
  const std::vector<std::string> label = analyzer_.words(d.label, lc);
  const std::vector<std::string> keywords = analyzer_.words(d.keywords, kc);
  if (check(label, keywords)) return true;
  if (lc.empty() && kc.empty()) return false;
  // The text again with its compounds joined, for a query that writes
  // them so ("readingtime shortcode"); then with its CamelCase runs
  // joined, should they stand in larger compounds ("getremote caching"
  // in "resources.GetRemote caching").
  const auto outer_label = Analyzer::joined_words(label, lc);
  const auto outer_keywords = Analyzer::joined_words(keywords, kc);
  if (check(outer_label, outer_keywords)) return true;
  const auto runs_label = Analyzer::joined_words(label, lc, true);
  const auto runs_keywords = Analyzer::joined_words(keywords, kc, true);
  return (runs_label != outer_label || runs_keywords != outer_keywords) &&
         check(runs_label, runs_keywords);
}

// From each start the earliest next position is the best choice, so this
// is linear for each start.
bool WindowSource::in_order(const Hits& hits, const std::vector<std::size_t>& index) const {
  for (std::size_t start = 0; start < hits.size(); ++start) {
    if (hits[start].second != index[0]) continue;
    std::size_t k = 1, h = start + 1;
    for (; k < index.size() && h < hits.size(); ++h) {
      if (hits[h].first - hits[start].first >= window_) break;
      if (hits[h].second == index[k]) ++k;
    }
    if (k == index.size()) return true;
  }
  return false;
}

// A sliding window over the matching positions.
bool WindowSource::together(const Hits& hits, const std::vector<std::size_t>& need) const {
  std::vector<std::size_t> have(need.size(), 0);
  std::size_t short_of = need.size(), left = 0;
  for (std::size_t right = 0; right < hits.size(); ++right) {
    if (++have[hits[right].second] == need[hits[right].second]) --short_of;
    while (hits[right].first - hits[left].first >= window_) {
      if (have[hits[left].second]-- == need[hits[left].second]) ++short_of;
      ++left;
    }
    if (short_of == 0) return true;
  }
  return false;
}

}  // namespace taxon::search
