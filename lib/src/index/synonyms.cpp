// SPDX-License-Identifier: MIT
// Reading the synonym file. Members are folded as query words are; a
// one-word synonym is stored as its stem ("Z" term), the form the
// QueryParser matches, so its inflected forms match too; a phrase stays as
// words.
#include "index/synonyms.h"

#include <fstream>
#include <string>
#include <string_view>

#include "format/schema.h"
#include "taxon/error.h"
#include "util/text.h"

namespace taxon::index {
namespace {

// The members of one line, "a, b c, d": folded and capped to a term's length.
std::vector<std::string> synonym_group(std::string_view line, Analyzer& analyzer) {
  std::vector<std::string> group;
  std::size_t start = 0;
  std::string s(line);
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    std::string member = analyzer.fold(
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!member.empty()) group.push_back(schema::cap_term(member));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return group;
}

void add_group(Xapian::WritableDatabase& db, const std::vector<std::string>& group,
               Analyzer& analyzer) {
  for (const auto& a : group)
    for (const auto& b : group) {
      if (a == b) continue;
      if (b.find(' ') == std::string::npos)
        db.add_synonym(a, std::string(schema::kStem) + analyzer.stem(b));
      else
        db.add_synonym(a, b);
    }
}

}  // namespace

void load_synonyms(const std::filesystem::path& file, std::vector<Shard>& shards, std::size_t first,
                   Analyzer& analyzer) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorCode::Io, file.string() + ": cannot read synonym file");
  for (auto& sh : shards) {
    for (auto it = sh.db.synonym_keys_begin(); it != sh.db.synonym_keys_end(); ++it)
      sh.db.clear_synonyms(*it);
    sh.dirty = true;
    sh.tables_changed = true;
  }
  if (first != 0) return;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = util::trim(line);
    if (l.empty() || l[0] == '#') continue;
    add_group(shards[0].db, synonym_group(l, analyzer), analyzer);
  }
}

}  // namespace taxon::index
