// SPDX-License-Identifier: MIT
// Match-time checks against each heading's stored text: the index keeps no
// positions and no keyword-field terms, so phrases, NEAR/ADJ and keywords:
// are answered by PostingSources that read the candidates' headings from
// their pages' records (checks.cpp: the walk and keywords:; window_check.cpp:
// phrases and NEAR).
#ifndef TAXON_SEARCH_CHECKS_H_
#define TAXON_SEARCH_CHECKS_H_

#include <cstddef>
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

  void init(const Xapian::Database& db) override;

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    return static_cast<Xapian::doccount>(candidates_.size() / 2);
  }
  Xapian::doccount get_termfreq_max() const override {
    return static_cast<Xapian::doccount>(candidates_.size());
  }

  void next(double) override { advance(); }
  void skip_to(Xapian::docid did, double) override;
  bool at_end() const override { return current_ == 0; }
  Xapian::docid get_docid() const override { return current_; }

  /// The terms whose postings hold every heading that can pass.
  virtual std::vector<std::string> candidate_terms(const Xapian::Database&) const { return terms_; }
  /// A query matching every heading that can pass, and as few others as
  /// terms can say (for a check made outside the match).
  virtual Xapian::Query candidates(const Xapian::Database& db) const;
  /// Whether a heading with this stored data passes the check.
  bool passes(const schema::HeadingData& d) { return holds(d); }

 protected:
  virtual bool holds(const schema::HeadingData& d) = 0;
  Analyzer& analyzer_;
  std::vector<std::string> terms_;

 private:
  // Moves to the next candidate that holds, or to the end (0).
  void advance();
  // Document `did`'s heading, from its page's record in this shard (the
  // last one read is kept: a page's headings are consecutive documents).
  bool heading(Xapian::docid did, schema::HeadingData& d);

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
  bool holds(const schema::HeadingData& d) override;

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
  std::vector<std::string> candidate_terms(const Xapian::Database& db) const override;
  // Headings with every word (through any of its terms).
  Xapian::Query candidates(const Xapian::Database&) const override;

 private:
  // (position, which distinct word) of the stored words that are wanted.
  using Hits = std::vector<std::pair<std::size_t, std::size_t>>;

  bool holds(const schema::HeadingData& d) override;
  // A phrase or ADJ: the words in query order at increasing positions, the
  // last within window_ of the first.
  bool in_order(const Hits& hits, const std::vector<std::size_t>& index) const;
  // NEAR: every word (as many times as the query has it) at distinct
  // positions within window_ of each other, in any order.
  bool together(const Hits& hits, const std::vector<std::size_t>& need) const;

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
Xapian::Query check_query(StoredTextSource* source, SearcherState& s);

}  // namespace taxon::search

#endif  // TAXON_SEARCH_CHECKS_H_
