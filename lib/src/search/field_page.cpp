// SPDX-License-Identifier: MIT
// page:PATH and page:"Title": the pages, among every page record, whose
// path ends with the value (with or without .md) or whose title folds to
// it, as a filter on their page terms.
#include <algorithm>

#include "format/schema.h"
#include "search/fields.h"
#include "util/text.h"

namespace taxon::search {

Xapian::Query PageField::build(const std::string& value) {
  s_.load_all_pages();
  const std::string v(util::trim(value));
  const std::string folded = s_.analyzer.fold(v);
  std::vector<std::string> ends;  // the path, or its end after a '/'
  if (!v.empty()) ends = {v, v + ".md", v + ".markdown"};
  auto path_matches = [&ends](const std::string& p) {
    return std::any_of(ends.begin(), ends.end(), [&p](const std::string& e) {
      return p == e || (p.size() > e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0 &&
                        (e.front() == '/' || p[p.size() - e.size() - 1] == '/'));
    });
  };
  std::vector<Xapian::Query> parts;
  for (const auto& [id, d] : s_.page_list) {
    if (d.headings == 0) continue;
    if (path_matches(d.path) || (!folded.empty() && s_.folded_title(id, d.title) == folded))
      parts.emplace_back(schema::page_term(id, d.version));
  }
  if (parts.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

}  // namespace taxon::search
