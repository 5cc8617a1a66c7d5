// SPDX-License-Identifier: MIT
// A merge inverts the posting lists back into documents, a slice of
// document ids at a time so memory stays bounded: for each slice, every
// term's posting list is read from the slice's first id to its last.
#include "index/merge.h"

#include <algorithm>
#include <utility>

namespace taxon::index {

namespace {

// Document ids per slice: at about 25 postings a heading, a slice holds
// some 1.6 million postings of 12 bytes, and the terms it uses, in memory on
// each shard's thread (a shard of 500,000 headings is read in 8 slices).
constexpr Xapian::docid kSlice = 1u << 16;

struct Posting {
  std::uint32_t offset;  // document id - the slice's first
  std::uint32_t term;    // index into the slice's terms
  Xapian::termcount wdf;
};
constexpr Xapian::valueno kMaxSlot = 16;

// Whether `did` is hidden; `runs` sorted by first id, `at` a cursor that
// only moves forward (ids are asked in increasing order).
bool is_hidden(const std::vector<schema::DocRun>& runs, std::size_t& at, Xapian::docid did) {
  while (at < runs.size() && runs[at].last < did) ++at;
  return at < runs.size() && runs[at].first <= did;
}

// One slice of document ids, lo to hi, inverted back: its postings in
// document order, the terms they name and each value slot's values.
struct Slice {
  Xapian::docid lo = 0;
  Xapian::docid hi = 0;
  std::vector<Posting> postings;
  std::vector<std::string> terms;
  // For each slot of used_slots(), (offset, value) in document order.
  std::vector<std::vector<std::pair<std::uint32_t, std::string>>> values;
};

// The value slots any document of `src` uses.
std::vector<Xapian::valueno> used_slots(const Xapian::Database& src) {
  std::vector<Xapian::valueno> slots;
  for (Xapian::valueno v = 0; v < kMaxSlot; ++v)
    if (src.get_value_freq(v) > 0) slots.push_back(v);
  return slots;
}

// Every term's postings within the slice, sorted by document.
void read_postings(const Xapian::Database& src, Slice& s) {
  s.postings.clear();
  s.terms.clear();
  for (auto term = src.allterms_begin(); term != src.allterms_end(); ++term) {
    const std::string name = *term;
    auto it = src.postlist_begin(name);
    it.skip_to(s.lo);
    if (it == src.postlist_end(name) || *it > s.hi) continue;
    const auto t = static_cast<std::uint32_t>(s.terms.size());
    s.terms.push_back(name);
    for (; it != src.postlist_end(name) && *it <= s.hi; ++it)
      s.postings.push_back({*it - s.lo, t, it.get_wdf()});
  }
  std::sort(s.postings.begin(), s.postings.end(),
            [](const Posting& a, const Posting& b) { return a.offset < b.offset; });
}

// Each slot's values within the slice.
void read_values(const Xapian::Database& src, const std::vector<Xapian::valueno>& slots, Slice& s) {
  s.values.resize(slots.size());
  for (std::size_t v = 0; v < slots.size(); ++v) {
    s.values[v].clear();
    auto it = src.valuestream_begin(slots[v]);
    it.skip_to(s.lo);
    for (; it != src.valuestream_end(slots[v]) && it.get_docid() <= s.hi; ++it)
      s.values[v].emplace_back(it.get_docid() - s.lo, *it);
  }
}

// Adds the slice's documents that `runs` do not hide to `out`, in order,
// and their old ids to `kept`.
void write_slice(const Slice& s, const std::vector<Xapian::valueno>& slots,
                 const std::vector<schema::DocRun>& runs, Xapian::WritableDatabase& out,
                 std::vector<Xapian::docid>& kept) {
  std::vector<std::size_t> next_value(slots.size(), 0);
  std::size_t at = 0;
  for (std::size_t p = 0; p < s.postings.size();) {
    const std::uint32_t offset = s.postings[p].offset;
    std::size_t e = p;
    while (e < s.postings.size() && s.postings[e].offset == offset) ++e;
    const Xapian::docid did = s.lo + offset;
    if (!is_hidden(runs, at, did)) {
      Xapian::Document doc;
      for (std::size_t k = p; k < e; ++k)
        doc.add_term(s.terms[s.postings[k].term], s.postings[k].wdf);
      for (std::size_t v = 0; v < slots.size(); ++v) {
        const auto& list = s.values[v];
        std::size_t& i = next_value[v];
        while (i < list.size() && list[i].first < offset) ++i;
        if (i < list.size() && list[i].first == offset) doc.add_value(slots[v], list[i].second);
      }
      out.add_document(doc);
      kept.push_back(did);
    }
    p = e;
  }
}

// The metadata but the hidden list; the document id runs renumbered.
void copy_metadata(const Xapian::Database& src, const std::vector<Xapian::docid>& kept,
                   Xapian::WritableDatabase& out) {
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
}

// The spelling and synonym tables.
void copy_tables(const Xapian::Database& src, Xapian::WritableDatabase& out) {
  for (auto it = src.spellings_begin(); it != src.spellings_end(); ++it)
    out.add_spelling(*it, it.get_termfreq());
  for (auto key = src.synonym_keys_begin(); key != src.synonym_keys_end(); ++key)
    for (auto s = src.synonyms_begin(*key); s != src.synonyms_end(*key); ++s)
      out.add_synonym(*key, *s);
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
  const std::vector<Xapian::valueno> slots = used_slots(src);
  const Xapian::docid last = src.get_lastdocid();
  Slice slice;
  std::vector<Xapian::docid> kept;  // old ids of the documents written, in order
  for (Xapian::docid lo = 1; lo <= last && lo != 0; lo += kSlice) {
    slice.lo = lo;
    slice.hi = std::min<Xapian::docid>(last, lo + (kSlice - 1));
    read_postings(src, slice);
    read_values(src, slots, slice);
    write_slice(slice, slots, runs, out, kept);
  }
  copy_metadata(src, kept, out);
  copy_tables(src, out);
  out.commit();
}

}  // namespace taxon::index
