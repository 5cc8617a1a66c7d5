// SPDX-License-Identifier: MIT
// Match-time checks against each heading's stored text: the index keeps no
// positions and no keyword-field terms, so phrases, NEAR/ADJ and keywords:
// are answered by PostingSources that read the candidates' headings from
// their pages' records.
#ifndef TAXON_SEARCH_CHECKS_H_
#define TAXON_SEARCH_CHECKS_H_

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "format/schema.h"
#include "search/state.h"
#include "taxon/analyzer.h"

namespace taxon::search {

// A filter checked against each heading's stored text: it walks the
// postings of some terms (in one shard: Xapian clones it for each) and keeps
// the headings whose stored data passes holds(). It stands in for what
// would otherwise need terms or positions of its own in every document.
class StoredTextSource : public Xapian::PostingSource {
 public:
  StoredTextSource(Analyzer& a, std::vector<std::string> terms)
      : analyzer_(a), terms_(std::move(terms)) {}

  void init(const Xapian::Database& db) override {
    db_ = db;
    candidates_.clear();
    for (const auto& t : terms_)
      for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        candidates_.push_back(*it);
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    next_ = 0;
    current_ = 0;
    page_id_.clear();
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    return static_cast<Xapian::doccount>(candidates_.size() / 2);
  }
  Xapian::doccount get_termfreq_max() const override {
    return static_cast<Xapian::doccount>(candidates_.size());
  }

  void next(double) override { advance(); }

  void skip_to(Xapian::docid did, double) override {
    if (current_ != 0 && current_ >= did) return;
    next_ = static_cast<std::size_t>(
        std::lower_bound(candidates_.begin() + static_cast<std::ptrdiff_t>(next_),
                         candidates_.end(), did) -
        candidates_.begin());
    advance();
  }

  bool at_end() const override { return current_ == 0; }
  Xapian::docid get_docid() const override { return current_; }

  /// The terms whose postings hold every heading that can pass.
  virtual std::vector<std::string> candidate_terms(const Xapian::Database&) const { return terms_; }
  /// A query matching every heading that can pass, and as few others as
  /// terms can say (for a check made outside the match).
  virtual Xapian::Query candidates(const Xapian::Database& db) const {
    const std::vector<std::string> t = candidate_terms(db);
    return Xapian::Query(Xapian::Query::OP_OR, t.begin(), t.end());
  }
  /// Whether a heading with this stored data passes the check.
  bool passes(const schema::HeadingData& d) { return holds(d); }

 protected:
  virtual bool holds(const schema::HeadingData& d) = 0;
  Analyzer& analyzer_;
  std::vector<std::string> terms_;

 private:
  // Moves to the next candidate that holds, or to the end (0).
  void advance() {
    current_ = 0;
    while (next_ < candidates_.size()) {
      const Xapian::docid did = candidates_[next_++];
      schema::HeadingData d;
      if (heading(did, d) && holds(d)) {
        current_ = did;
        return;
      }
    }
  }

  // Document `did`'s heading, from its page's record in this shard (the
  // last one read is kept: a page's headings are consecutive documents).
  bool heading(Xapian::docid did, schema::HeadingData& d) {
    const Xapian::Document doc = db_.get_document(did);
    const std::string id = doc.get_value(schema::kSlotPage);
    int ordinal = 0;
    if (!schema::ordinal_from_key(doc.get_value(schema::kSlotOrdinal), ordinal)) return false;
    if (id != page_id_) {
      page_id_ = id;
      page_ok_ = schema::decode(db_.get_metadata(std::string(schema::kMetaPagePrefix) + id), page_);
    }
    return page_ok_ && schema::heading_of(page_, id, ordinal, d);
  }

  Xapian::Database db_;
  std::string page_id_;
  schema::PageData page_;
  bool page_ok_ = false;
  std::vector<Xapian::docid> candidates_;
  std::size_t next_ = 0;
  Xapian::docid current_ = 0;
};

// Headings whose keyword phrase holds a word (or, for a wildcard, a word
// starting with it), found through the stems of the word (or of the words
// the wildcard expands to): label, phrase and context share those terms.
class KeywordSource : public StoredTextSource {
 public:
  KeywordSource(Analyzer& a, std::vector<std::string> stems, std::string word, bool prefix)
      : StoredTextSource(a, std::move(stems)), word_(std::move(word)), prefix_(prefix) {}
  KeywordSource* clone() const override {
    return new KeywordSource(analyzer_, terms_, word_, prefix_);
  }

 private:
  bool holds(const schema::HeadingData& d) override {
    auto match = [this](const std::string& w) {
      return prefix_ ? w.compare(0, word_.size(), word_) == 0 : w == word_;
    };
    for (const auto& w : analyzer_.words(d.keywords, compounds_))
      if (match(w)) return true;
    for (const auto& c : compounds_)
      if (match(c.joined)) return true;
    return false;
  }
  std::vector<Analyzer::Compound> compounds_;
  std::string word_;
  bool prefix_;
};

// Headings where the words stand within `window` positions of each other,
// in order (a phrase, ADJ) or in any order (NEAR), in the stored text as
// words() splits it, or with its compounds joined (each one position, see
// Analyzer::joined_words). `groups` hold each word's terms in the index
// (its stems in every query language), whose postings give the candidates;
// `words` are the words as the query gives them, compared with the stored
// words. Positions are counted as the index did before it stopped storing
// them: the label's words from 1, then one position left empty, then the
// keyword phrase's, so a phrase does not run from the label into the
// keywords.
class WindowSource : public StoredTextSource {
 public:
  WindowSource(Analyzer& a, std::vector<std::vector<std::string>> groups,
               std::vector<std::string> words, std::size_t window, bool ordered)
      : StoredTextSource(a, {}),
        groups_(std::move(groups)),
        words_(std::move(words)),
        window_(window),
        ordered_(ordered) {}
  WindowSource* clone() const override {
    return new WindowSource(analyzer_, groups_, words_, window_, ordered_);
  }
  // Candidates: the postings of the rarest word's terms.
  void init(const Xapian::Database& db) override {
    terms_ = candidate_terms(db);
    StoredTextSource::init(db);
  }
  std::vector<std::string> candidate_terms(const Xapian::Database& db) const override {
    std::size_t best = 0;
    Xapian::doccount best_freq = 0;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      Xapian::doccount f = 0;
      for (const auto& t : groups_[g]) f += db.get_termfreq(t);
      if (g == 0 || f < best_freq) best = g, best_freq = f;
    }
    return groups_.empty() ? std::vector<std::string>{} : groups_[best];
  }
  // Headings with every word (through any of its terms).
  Xapian::Query candidates(const Xapian::Database&) const override {
    std::vector<Xapian::Query> all;
    for (const auto& g : groups_) all.emplace_back(Xapian::Query::OP_OR, g.begin(), g.end());
    return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
  }

 private:
  bool holds(const schema::HeadingData& d) override {
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
    std::vector<std::pair<std::size_t, std::size_t>> hits;  // (position, distinct word)
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

  // A phrase or ADJ: the words in query order at increasing positions, the
  // last within window_ of the first. From each start the earliest next
  // position is the best choice, so this is linear for each start.
  bool in_order(const std::vector<std::pair<std::size_t, std::size_t>>& hits,
                const std::vector<std::size_t>& index) const {
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

  // NEAR: every word (as many times as the query has it) at distinct
  // positions within window_ of each other, in any order: a sliding window
  // over the matching positions.
  bool together(const std::vector<std::pair<std::size_t, std::size_t>>& hits,
                const std::vector<std::size_t>& need) const {
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

  std::vector<std::vector<std::string>> groups_;
  std::vector<std::string> words_;
  std::size_t window_;
  bool ordered_;
};

// A stored-text check as a query, taking ownership of `source`: the
// PostingSource itself over local shards. A remote shard (xapian-tcpsrv)
// cannot run code it does not have, so over an index with remote shards the
// check is made here, once, on every candidate (read from its page's
// record), and the headings that pass are named by what Xapian serialises:
// their page's term and their ordinal range, as under: does. Either way the
// query is a filter: it adds no weight.
inline Xapian::Query check_query(StoredTextSource* source, SearcherState& s) {
  if (!s.remote) return Xapian::Query(source->release());
  std::unique_ptr<StoredTextSource> owned(source);
  const Xapian::Query wanted = owned->candidates(s.db);
  if (wanted.empty()) return Xapian::Query(std::string(schema::kPage));
  Xapian::Enquire enquire(s.db);
  enquire.set_query(s.live(wanted));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  Xapian::MSet found = enquire.get_mset(0, s.db.get_doccount());
  // page id -> its version and the ordinals that pass
  std::map<std::string, std::pair<std::uint64_t, std::vector<int>>> passed;
  for (auto it = found.begin(); it != found.end(); ++it) {
    schema::HeadingData d;
    const schema::PageData* page = nullptr;
    if (s.heading(*it, d, &page) && owned->passes(d)) {
      passed[d.page_id].first = page->version;
      passed[d.page_id].second.push_back(d.ordinal);
    }
  }
  std::vector<Xapian::Query> pages;
  for (auto& [page, passing] : passed) {
    auto& [version, ordinals] = passing;
    std::sort(ordinals.begin(), ordinals.end());
    std::vector<Xapian::Query> ranges;
    for (std::size_t i = 0; i < ordinals.size();) {
      std::size_t j = i;
      while (j + 1 < ordinals.size() && ordinals[j + 1] <= ordinals[j] + 1) ++j;
      ranges.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrdinal,
                          schema::ordinal_key(ordinals[i]), schema::ordinal_key(ordinals[j]));
      i = j + 1;
    }
    pages.emplace_back(Xapian::Query::OP_FILTER, Xapian::Query(schema::page_term(page, version)),
                       Xapian::Query(Xapian::Query::OP_OR, ranges.begin(), ranges.end()));
  }
  // None passes: a term no heading has. (MatchNothing would take the
  // filtered words out of the query, and with them out of Xapian's
  // percentages.)
  if (pages.empty()) return Xapian::Query(std::string(schema::kPage));
  return Xapian::Query(Xapian::Query::OP_OR, pages.begin(), pages.end());
}

}  // namespace taxon::search

#endif  // TAXON_SEARCH_CHECKS_H_
