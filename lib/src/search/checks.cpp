// SPDX-License-Identifier: MIT
// The walk every stored-text check shares (candidates from posting lists,
// each heading read from its page's record), the keywords: check, and a
// check as a query: the PostingSource itself over local shards, the
// headings that pass named by page and ordinal range over remote ones.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>

#include "search/checks.h"

namespace taxon::search {

void StoredTextSource::init(const Xapian::Database& db) {
  db_ = db;
  candidates_.clear();
  for (const auto& t : terms_)
    for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it) candidates_.push_back(*it);
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  next_ = 0;
  current_ = 0;
  page_id_.clear();
}

void StoredTextSource::skip_to(Xapian::docid did, double) {
  if (current_ != 0 && current_ >= did) return;
  next_ = static_cast<std::size_t>(
      std::lower_bound(candidates_.begin() + static_cast<std::ptrdiff_t>(next_), candidates_.end(),
                       did) -
      candidates_.begin());
  advance();
}

Xapian::Query StoredTextSource::candidates(const Xapian::Database& db) const {
  const std::vector<std::string> t = candidate_terms(db);
  return Xapian::Query(Xapian::Query::OP_OR, t.begin(), t.end());
}

void StoredTextSource::advance() {
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

bool StoredTextSource::heading(Xapian::docid did, schema::HeadingData& d) {
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

bool KeywordSource::holds(const schema::HeadingData& d) {
  auto match = [this](const std::string& w) {
    return prefix_ ? w.compare(0, word_.size(), word_) == 0 : w == word_;
  };
  const std::vector<std::string> words = analyzer_.words(d.keywords, compounds_);
  return std::any_of(words.begin(), words.end(), match) ||
         std::any_of(compounds_.begin(), compounds_.end(),
                     [&match](const auto& c) { return match(c.joined); });
}

namespace {

// The headings of `found` that pass `check`: page id -> its version and the
// ordinals that pass.
std::map<std::string, std::pair<std::uint64_t, std::vector<int>>> passing(SearcherState& s,
                                                                          const Xapian::MSet& found,
                                                                          StoredTextSource& check) {
  std::map<std::string, std::pair<std::uint64_t, std::vector<int>>> passed;
  for (auto it = found.begin(); it != found.end(); ++it) {
    schema::HeadingData d;
    const PageRecord* page = nullptr;
    if (s.heading(*it, d, &page) && check.passes(d)) {
      passed[d.page_id].first = page->info().version;
      passed[d.page_id].second.push_back(d.ordinal);
    }
  }
  return passed;
}

// A page's passing headings as its page term and their ordinal ranges.
Xapian::Query page_ranges(const std::string& page, std::uint64_t version,
                          std::vector<int>& ordinals) {
  std::sort(ordinals.begin(), ordinals.end());
  std::vector<Xapian::Query> ranges;
  for (std::size_t i = 0; i < ordinals.size();) {
    std::size_t j = i;
    while (j + 1 < ordinals.size() && ordinals[j + 1] <= ordinals[j] + 1) ++j;
    ranges.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrdinal,
                        schema::ordinal_key(ordinals[i]), schema::ordinal_key(ordinals[j]));
    i = j + 1;
  }
  return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(schema::page_term(page, version)),
                       Xapian::Query(Xapian::Query::OP_OR, ranges.begin(), ranges.end()));
}

}  // namespace

Xapian::Query check_query(StoredTextSource* source, SearcherState& s) {
  if (!s.remote) return Xapian::Query(source->release());
  std::unique_ptr<StoredTextSource> owned(source);
  const Xapian::Query wanted = owned->candidates(s.db);
  if (wanted.empty()) return Xapian::Query(std::string(schema::kPage));
  Xapian::Enquire enquire(s.db);
  enquire.set_query(s.live(wanted));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  Xapian::MSet found = enquire.get_mset(0, s.db.get_doccount());
  auto passed = passing(s, found, *owned);
  std::vector<Xapian::Query> pages;
  pages.reserve(passed.size());
  for (auto& [page, pass] : passed) pages.push_back(page_ranges(page, pass.first, pass.second));
  // None passes: a term no heading has. (MatchNothing would take the
  // filtered words out of the query, and with them out of Xapian's
  // percentages.)
  if (pages.empty()) return Xapian::Query(std::string(schema::kPage));
  return Xapian::Query(Xapian::Query::OP_OR, pages.begin(), pages.end());
}

}  // namespace taxon::search
