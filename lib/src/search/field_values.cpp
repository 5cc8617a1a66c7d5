// SPDX-License-Identifier: MIT
// The value fields of the query parser, each a boolean filter on terms the
// index holds as they are: category:, tag:, lang:, level:; and the cache
// the costlier fields (page:, under:) keep across the query's two parses.
#include <string_view>

#include "format/documents.h"
#include "format/schema.h"
#include "search/fields.h"
#include "util/text.h"

namespace taxon::search {

Xapian::Query TaxonomyField::operator()(const std::string& value) {
  std::string folded = format::fold_taxonomy(analyzer_, value);
  if (folded.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(prefix_ + folded);
}

Xapian::Query LangField::operator()(const std::string& value) {
  return Xapian::Query(std::string(schema::kLang) + util::ascii_lower(util::trim(value)));
}

Xapian::Query LevelField::operator()(const std::string& value) {
  bool bad = false;
  int lo = 1, hi = 6;
  auto dots = value.find("..");
  auto num = [&](std::string_view s, int dflt) {
    s = util::trim(s);
    if (s.empty()) return dflt;
    if (s.size() != 1 || s[0] < '1' || s[0] > '6') {
      bad = true;
      return 0;
    }
    return s[0] - '0';
  };
  if (dots == std::string::npos) {
    lo = hi = num(value, 0);
  } else {
    lo = num(std::string_view(value).substr(0, dots), 1);
    hi = num(std::string_view(value).substr(dots + 2), 6);
  }
  if (bad) return errors_.fail("level must be 1 to 6 or a range like 2..3, not '" + value + "'");
  std::vector<Xapian::Query> parts;
  for (int l = lo; l <= hi; ++l)
    parts.emplace_back(std::string(schema::kLevel) + std::to_string(l));
  if (parts.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query CachingField::operator()(const std::string& value) {
  auto it = built_.find(value);
  if (it == built_.end()) it = built_.emplace(value, build(value)).first;
  return it->second;
}

}  // namespace taxon::search
