// SPDX-License-Identifier: MIT
// A merge inverts the posting lists back into documents, a slice of
// document ids at a time so memory stays bounded: for each slice, every
// term's posting list is read from the slice's first id to its last.
#include "index/merge.h"

#include <algorithm>
#include <utility>

namespace taxon::index {

namespace {

// Document ids per slice: at about 25 terms a heading, a slice holds some
// 6.5 million postings (8 bytes each) in memory.
constexpr Xapian::docid kSlice = 1u << 18;
constexpr Xapian::valueno kMaxSlot = 16;

// Whether `did` is hidden; `runs` sorted by first id, `at` a cursor that
// only moves forward (ids are asked in increasing order).
bool is_hidden(const std::vector<schema::DocRun>& runs, std::size_t& at, Xapian::docid did) {
  while (at < runs.size() && runs[at].last < did) ++at;
  return at < runs.size() && runs[at].first <= did;
}

}  // namespace

std::size_t hidden_count(const std::vector<schema::DocRun>& runs) {
  std::size_t n = 0;
  for (const auto& r : runs) n += static_cast<std::size_t>(r.last - r.first) + 1;
  return n;
}

schema::DocRun hidden_run(const Xapian::Database& db, const std::string& term) {
  schema::DocRun run;
  run.name = term;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    if (run.first == 0) run.first = *it;
    run.last = *it;
  }
  return run;
}

bool wants_merge(const std::vector<schema::DocRun>& runs, std::size_t docs) {
  // A remote shard's query names every hidden run's term: past a few
  // hundred, opening those posting lists costs more than the search.
  constexpr std::size_t kMaxRuns = 512;
  return !runs.empty() && (hidden_count(runs) * 10 >= docs || runs.size() >= kMaxRuns);
}

void write_merged(const Xapian::Database& src, const std::vector<schema::DocRun>& hidden,
                  const std::string& dest) {
  std::vector<schema::DocRun> runs = hidden;
  std::sort(runs.begin(), runs.end(),
            [](const schema::DocRun& a, const schema::DocRun& b) { return a.first < b.first; });
  Xapian::WritableDatabase out(
      dest, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_TERMLIST | Xapian::DB_BACKEND_GLASS);
  std::vector<std::string> terms;
  for (auto it = src.allterms_begin(); it != src.allterms_end(); ++it) terms.push_back(*it);
  std::vector<Xapian::valueno> slots;
  for (Xapian::valueno v = 0; v < kMaxSlot; ++v)
    if (src.get_value_freq(v) > 0) slots.push_back(v);

  const Xapian::docid last = src.get_lastdocid();
  std::vector<std::vector<std::pair<std::uint32_t, Xapian::termcount>>> postings;
  std::vector<std::vector<std::pair<Xapian::valueno, std::string>>> values;
  std::vector<Xapian::docid> kept;  // old ids of the documents written, in order
  for (Xapian::docid lo = 1; lo <= last && lo != 0; lo += kSlice) {
    const Xapian::docid hi = std::min<Xapian::docid>(last, lo + (kSlice - 1));
    const std::size_t n = hi - lo + 1;
    postings.assign(n, {});
    values.assign(n, {});
    for (std::uint32_t t = 0; t < terms.size(); ++t) {
      auto it = src.postlist_begin(terms[t]);
      it.skip_to(lo);
      for (; it != src.postlist_end(terms[t]) && *it <= hi; ++it)
        postings[*it - lo].emplace_back(t, it.get_wdf());
    }
    for (Xapian::valueno v : slots) {
      auto it = src.valuestream_begin(v);
      it.skip_to(lo);
      for (; it != src.valuestream_end(v) && it.get_docid() <= hi; ++it)
        values[it.get_docid() - lo].emplace_back(v, *it);
    }
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto did = static_cast<Xapian::docid>(lo + i);
      if (postings[i].empty() || is_hidden(runs, at, did)) continue;
      Xapian::Document doc;
      for (const auto& [t, wdf] : postings[i]) doc.add_term(terms[t], wdf);
      for (auto& [v, value] : values[i]) doc.add_value(v, value);
      out.add_document(doc);
      kept.push_back(did);
    }
  }
  for (auto it = src.metadata_keys_begin(); it != src.metadata_keys_end(); ++it)
    if (*it != schema::kMetaHidden && *it != schema::kMetaDocIds)
      out.set_metadata(*it, src.get_metadata(*it));
  // Each page's run of ids, numbered as written: a kept document's new id is
  // its place in `kept`, and a page's documents stay consecutive.
  std::vector<schema::DocRun> located;
  schema::decode_docids(src.get_metadata(std::string(schema::kMetaDocIds)), located);
  auto renumber = [&kept](Xapian::docid did) {
    const auto at = std::lower_bound(kept.begin(), kept.end(), did);
    return at != kept.end() && *at == did ? static_cast<std::uint32_t>(at - kept.begin() + 1) : 0u;
  };
  std::vector<schema::DocRun> moved;
  for (auto& r : located) {
    r.first = renumber(r.first);
    r.last = renumber(r.last);
    if (r.first != 0 && r.last >= r.first) moved.push_back(std::move(r));
  }
  out.set_metadata(std::string(schema::kMetaDocIds), schema::encode_docids(moved));
  for (auto it = src.spellings_begin(); it != src.spellings_end(); ++it)
    out.add_spelling(*it, it.get_termfreq());
  for (auto key = src.synonym_keys_begin(); key != src.synonym_keys_end(); ++key)
    for (auto s = src.synonyms_begin(*key); s != src.synonyms_end(*key); ++s)
      out.add_synonym(*key, *s);
  out.commit();
}

}  // namespace taxon::index
