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
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "format/schema.h"

namespace taxon::search {

/// Each local shard's hidden runs of document ids (first, last; sorted), read
/// when the index is opened, by the shard's UUID and revision: a posting
/// source finds its shard's runs there instead of reading them again for
/// every query.
struct HiddenRuns {
  using Runs = std::vector<std::pair<Xapian::docid, Xapian::docid>>;
  struct Shard {
    std::string uuid;
    Xapian::rev revision = 0;
    Runs runs;
    Xapian::doccount count = 0;
  };
  std::vector<Shard> shards;

  /// The runs of `runs` sorted, as a posting source walks them, and how many
  /// documents they hold.
  static Runs sorted(const std::vector<schema::DocRun>& runs, Xapian::doccount& count) {
    Runs out;
    count = 0;
    for (const auto& r : runs) {
      out.emplace_back(r.first, r.last);
      count += r.last - r.first + 1;
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  /// The shard `db` is, when exactly one has its UUID and revision (a copied
  /// shard shares its original's UUID); null otherwise.
  const Shard* find(const Xapian::Database& db) const {
    const std::string uuid = db.get_uuid();
    const Xapian::rev revision = db.get_revision();
    const Shard* found = nullptr;
    for (const auto& s : shards) {
      if (s.uuid != uuid) continue;
      if (found || s.revision != revision) return nullptr;
      found = &s;
    }
    return found;
  }
};

/// The documents of a shard that its hidden runs hold. Made again for each
/// shard of a combined database, as Xapian does with posting sources.
class HiddenSource : public Xapian::PostingSource {
 public:
  explicit HiddenSource(std::shared_ptr<const HiddenRuns> known = nullptr)
      : known_(std::move(known)) {}
  HiddenSource* clone() const override { return new HiddenSource(known_); }

  void init(const Xapian::Database& db) override {
    const HiddenRuns::Shard* shard = known_ ? known_->find(db) : nullptr;
    if (shard) {
      runs_ = &shard->runs;
      count_ = shard->count;
    } else {
      std::vector<schema::DocRun> runs;
      schema::decode_runs(db.get_metadata(std::string(schema::kMetaHidden)), runs);
      own_ = HiddenRuns::sorted(runs, count_);
      runs_ = &own_;
    }
    at_ = 0;
    started_ = false;
    current_ = runs_->empty() ? 0 : (*runs_)[0].first;
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
  bool at_end() const override { return at_ >= runs_->size(); }
  Xapian::docid get_docid() const override { return current_; }
  std::string get_description() const override { return "HiddenSource"; }

 private:
  // The first hidden id from `did` on.
  void move_to(Xapian::docid did) {
    while (at_ < runs_->size() && (*runs_)[at_].second < did) ++at_;
    if (at_ < runs_->size()) current_ = std::max(did, (*runs_)[at_].first);
  }

  std::shared_ptr<const HiddenRuns> known_;
  HiddenRuns::Runs own_;                  // the runs read, when `known_` has not this shard's
  const HiddenRuns::Runs* runs_ = &own_;  // the runs walked
  std::size_t at_ = 0;
  Xapian::docid current_ = 0;
  Xapian::doccount count_ = 0;
  bool started_ = false;
};

/// `q` without the hidden documents: unchanged when no shard has any.
/// `terms` are the page terms of every shard's hidden runs; `remote` says a
/// shard is remote; `known` are the local shards' runs, when read.
inline Xapian::Query live_only(Xapian::Query q, const std::vector<std::string>& terms, bool remote,
                               std::shared_ptr<const HiddenRuns> known = nullptr) {
  if (terms.empty() || q.empty()) return q;
  if (!remote)
    return Xapian::Query(
        Xapian::Query::OP_AND_NOT, q,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query((new HiddenSource(std::move(known)))->release()), 0.0));
  // Weighted zero either way, so that Xapian's percentages are those of a
  // shard without hidden documents.
  return Xapian::Query(
      Xapian::Query::OP_AND_NOT, q,
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                    Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), 0.0));
}

}  // namespace taxon::search

#endif  // TAXON_SEARCH_LIVE_H_
