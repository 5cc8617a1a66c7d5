// SPDX-License-Identifier: MIT
// Hiding the documents of replaced and removed pages (index/merge.h) from
// every query, left out with AND_NOT. Over local shards a posting source
// walks each shard's hidden runs of document ids. A remote shard cannot
// run code of ours, so there the query leaves out the hidden runs' page
// terms with Xapian's own operators: correct, but each run is a posting
// list to open, which is why a shard is merged before it has many.
#ifndef TAXON_SEARCH_LIVE_H_
#define TAXON_SEARCH_LIVE_H_

#include <algorithm>
#include <string>
#include <vector>

#include <xapian.h>

#include "format/schema.h"

namespace taxon::search {

/// The documents of a shard that its hidden runs hold. Made again for each
/// shard of a combined database, as Xapian does with posting sources.
class HiddenSource : public Xapian::PostingSource {
 public:
  HiddenSource* clone() const override { return new HiddenSource; }

  void init(const Xapian::Database& db) override {
    std::vector<schema::DocRun> runs;
    schema::decode_runs(db.get_metadata(std::string(schema::kMetaHidden)), runs);
    runs_.clear();
    count_ = 0;
    for (const auto& r : runs) {
      runs_.emplace_back(r.first, r.last);
      count_ += r.last - r.first + 1;
    }
    std::sort(runs_.begin(), runs_.end());
    at_ = 0;
    started_ = false;
    current_ = runs_.empty() ? 0 : runs_[0].first;
  }

  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }

  void next(double) override {
    if (!started_) {
      started_ = true;
      return;
    }
    move_to(current_ + 1);
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    if (did > current_) move_to(did);
  }
  bool at_end() const override { return at_ >= runs_.size(); }
  Xapian::docid get_docid() const override { return current_; }
  std::string get_description() const override { return "HiddenSource"; }

 private:
  // The first hidden id from `did` on.
  void move_to(Xapian::docid did) {
    while (at_ < runs_.size() && runs_[at_].second < did) ++at_;
    if (at_ < runs_.size()) current_ = std::max(did, runs_[at_].first);
  }

  std::vector<std::pair<Xapian::docid, Xapian::docid>> runs_;  // first, last; sorted
  std::size_t at_ = 0;
  Xapian::docid current_ = 0;
  Xapian::doccount count_ = 0;
  bool started_ = false;
};

/// `q` without the hidden documents: unchanged when no shard has any.
/// `terms` are the page terms of every shard's hidden runs; `remote` says a
/// shard is remote.
inline Xapian::Query live_only(Xapian::Query q, const std::vector<std::string>& terms,
                               bool remote) {
  if (terms.empty() || q.empty()) return q;
  if (!remote)
    return Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                       Xapian::Query((new HiddenSource)->release()), 0.0));
  // Weighted zero either way, so that Xapian's percentages are those of a
  // shard without hidden documents.
  return Xapian::Query(
      Xapian::Query::OP_AND_NOT, q,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), 0.0));
}

}  // namespace taxon::search

#endif  // TAXON_SEARCH_LIVE_H_
