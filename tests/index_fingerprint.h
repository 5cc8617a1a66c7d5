// SPDX-License-Identifier: MIT
// Everything an index holds that a search can see, as sorted text: each
// document's data, terms, wdfs and positions, the page metadata, the
// spelling table. Two indexes with equal fingerprints answer every query
// the same way (document ids aside).
#ifndef TAXON_TESTS_INDEX_FINGERPRINT_H_
#define TAXON_TESTS_INDEX_FINGERPRINT_H_

#include <algorithm>
#include <fstream>
#include <string>
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

inline std::vector<std::string> index_fingerprint(const std::string& path) {
  Xapian::Database db = open_index(path);
  std::vector<std::string> out;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    Xapian::Document doc = db.get_document(*it);
    std::string s = "doc " + doc.get_data() + "\n";
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      s += *t + ":" + std::to_string(t.get_wdf()) + ":";
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
        s += std::to_string(*p) + ",";
      s += "\n";
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
      s += "value " + std::to_string(v.get_valueno()) + "=" + *v + "\n";
    out.push_back(std::move(s));
  }
  int n = 0;
  for (const auto& shard : index_shards(path)) {
    const std::string tag = "meta " + std::to_string(n++) + " ";
    for (auto k = shard.metadata_keys_begin(); k != shard.metadata_keys_end(); ++k)
      out.push_back(tag + *k + "=" + shard.get_metadata(*k));
  }
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w)
    out.push_back("spell " + *w + ":" + std::to_string(w.get_termfreq()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace taxon::test

#endif  // TAXON_TESTS_INDEX_FINGERPRINT_H_
