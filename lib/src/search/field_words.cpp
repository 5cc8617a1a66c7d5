// SPDX-License-Identifier: MIT
// The word fields of the query parser: label:, keywords: (checked against
// each heading's keyword phrase, see checks.h) and the wildcard field a
// free-text `word*` is rewritten to, whose expansion over the vocabulary
// the other parts of a search share.
#include <algorithm>

#include "search/checks.h"
#include "search/fields.h"
#include "search/query_text.h"
#include "search/vocabulary.h"

namespace taxon::search {

FieldWords field_words(Analyzer& analyzer, const std::string& value) {
  std::string v = search::decode_field_value(value);
  FieldWords out;
  out.last_is_prefix = !v.empty() && v.back() == '*';
  while (!v.empty() && v.back() == '*') v.pop_back();
  out.words = analyzer.words(v);
  return out;
}

Xapian::Query WordsField::operator()(const std::string& value) {
  const auto [words, wildcard] = field_words(analyzer_, value);
  if (words.empty()) return Xapian::Query::MatchNothing;
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (wildcard && i + 1 == words.size()) {
      const std::vector<std::string> terms = expand(prefix_ + words[i]);
      if (terms.empty()) return Xapian::Query::MatchNothing;
      parts.emplace_back(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
    } else {
      parts.emplace_back(prefix_ + words[i]);
    }
  }
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

std::vector<std::string> WordsField::expand(const std::string& start) const {
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto it = db_.allterms_begin(start); it != db_.allterms_end(start); ++it)
    found.emplace_back(it.get_termfreq(), *it);
  if (found.size() > max_expansion_) {
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    found.resize(max_expansion_);
  }
  std::vector<std::string> terms;
  terms.reserve(found.size());
  for (auto& f : found) terms.push_back(std::move(f.second));
  std::sort(terms.begin(), terms.end());
  return terms;
}

Xapian::Query WildcardField::operator()(const std::string& value) {
  const std::vector<std::string>& s = stems(search::decode_field_value(value));
  return s.empty() ? Xapian::Query::MatchNothing
                   : Xapian::Query(Xapian::Query::OP_SYNONYM, s.begin(), s.end());
}

const std::vector<std::string>& WildcardField::stems(const std::string& prefix) {
  auto it = expanded_.find(prefix);
  if (it == expanded_.end()) {
    std::vector<std::string> s;
    if (!prefix.empty()) s = prefix_stems(db_, analyzer_, prefix, max_expansion_, langs_, budget_);
    it = expanded_.emplace(prefix, std::move(s)).first;
  }
  return it->second;
}

Xapian::Query KeywordsField::operator()(const std::string& value) {
  const auto [words, wildcard] = field_words(analyzer_, value);
  if (words.empty()) return Xapian::Query::MatchNothing;
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool prefix = wildcard && i + 1 == words.size();
    std::vector<std::string> stems =
        prefix ? wildcards_.stems(words[i]) : stem_terms({words[i]}, analyzer_, langs_);
    if (stems.empty()) return Xapian::Query::MatchNothing;
    Xapian::Query weight(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end());
    Xapian::Query filter =
        check_query(new KeywordSource(analyzer_, std::move(stems), words[i], prefix), state_);
    parts.emplace_back(Xapian::Query::OP_FILTER, weight, filter);
  }
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

}  // namespace taxon::search
