// SPDX-License-Identifier: MIT
// Everything an index holds that a search can see, as sorted text: each
// visible heading document's terms, wdfs and values (keyed by its page and
// ordinal), the page metadata, the spelling table. Documents a shard hides
// (those of replaced pages, until it is merged) are left out, and page
// versions are taken out of page terms and records: two indexes with equal
// fingerprints answer every query the same way (document ids and the
// statistics of hidden documents aside).
#ifndef TAXON_TESTS_INDEX_FINGERPRINT_H_
#define TAXON_TESTS_INDEX_FINGERPRINT_H_

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace taxon::test {

/// The shard databases of a taxon index folder (or the folder itself when it
/// is one database).
inline std::vector<Xapian::Database> index_shards(const std::string& path) {
  std::vector<Xapian::Database> out;
  std::ifstream stub(path + "/taxon.stub");
  std::string line;
  while (std::getline(stub, line))
    if (line.rfind("auto ", 0) == 0) out.emplace_back(path + "/" + line.substr(5));
  if (out.empty()) out.emplace_back(path);
  return out;
}

/// All shards as one database.
inline Xapian::Database open_index(const std::string& path) {
  Xapian::Database db;
  for (const auto& shard : index_shards(path)) db.add_database(shard);
  return db;
}

namespace detail {

// The index's length-prefixed form (lib/src/format/schema.cpp), read just far
// enough to find what the fingerprint leaves out.
inline bool varint(std::string_view& s, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !s.empty(); shift += 7) {
    const auto c = static_cast<unsigned char>(s.front());
    s.remove_prefix(1);
    v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

// Document ids the shard's hidden list names.
inline std::set<Xapian::docid> hidden_ids(const Xapian::Database& shard) {
  std::set<Xapian::docid> out;
  const std::string list = shard.get_metadata("taxon:hidden");
  std::string_view s = list;
  if (s.empty()) return out;
  s.remove_prefix(1);
  std::uint64_t n = 0, first = 0, span = 0;
  while (!s.empty() && varint(s, n) && n <= s.size()) {
    s.remove_prefix(n);
    if (!varint(s, first) || !varint(s, span)) break;
    for (std::uint64_t d = first; d <= first + span; ++d) out.insert(static_cast<Xapian::docid>(d));
  }
  return out;
}

// A page record without its version (the second field, after the path).
inline std::string without_version(const std::string& record) {
  std::string_view s = record;
  if (s.empty()) return record;
  s.remove_prefix(1);
  std::uint64_t n = 0, version = 0;
  if (!varint(s, n) || n > s.size()) return record;
  const std::size_t path_end = record.size() - s.size() + n;
  std::string_view rest = std::string_view(record).substr(path_end);
  if (!varint(rest, version)) return record;
  return record.substr(0, path_end) + std::string(rest);
}

// "XP<page id>.<version>" -> "XP<page id>".
inline std::string term_without_version(const std::string& t) {
  if (t.rfind("XP", 0) != 0) return t;
  const auto dot = t.find('.');
  return dot == std::string::npos ? t : t.substr(0, dot);
}

}  // namespace detail

inline std::vector<std::string> index_fingerprint(const std::string& path) {
  std::vector<std::string> out;
  int n = 0;
  for (const auto& shard : index_shards(path)) {
    const std::set<Xapian::docid> hidden = detail::hidden_ids(shard);
    std::map<Xapian::docid, std::vector<std::string>> docs;
    for (auto t = shard.allterms_begin(); t != shard.allterms_end(); ++t)
      for (auto p = shard.postlist_begin(*t); p != shard.postlist_end(*t); ++p)
        if (!hidden.count(*p))
          docs[*p].push_back(detail::term_without_version(*t) + ":" + std::to_string(p.get_wdf()));
    for (auto& [did, terms] : docs) {
      const Xapian::Document doc = shard.get_document(did);
      std::string s = "doc\n";
      std::sort(terms.begin(), terms.end());
      for (const auto& t : terms) s += t + "\n";
      // (Document::values_begin reads the term list, which shards do not keep.)
      for (Xapian::valueno slot = 0; slot < 16; ++slot)
        if (std::string v = doc.get_value(slot); !v.empty())
          s += "value " + std::to_string(slot) + "=" + v + "\n";
      out.push_back(std::move(s));
    }
    const std::string tag = "meta " + std::to_string(n++) + " ";
    for (auto k = shard.metadata_keys_begin(); k != shard.metadata_keys_end(); ++k) {
      if (*k == "taxon:hidden" || *k == "taxon:next-version" || *k == "taxon:docids") continue;
      std::string v = shard.get_metadata(*k);
      if ((*k).rfind("taxon:page:", 0) == 0) v = detail::without_version(v);
      out.push_back(tag + *k + "=" + v);
    }
  }
  Xapian::Database db = open_index(path);
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w)
    out.push_back("spell " + *w + ":" + std::to_string(w.get_termfreq()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace taxon::test

#endif  // TAXON_TESTS_INDEX_FINGERPRINT_H_
