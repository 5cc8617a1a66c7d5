// SPDX-License-Identifier: MIT
// Searcher::complete: what the query word being typed may become, from the
// index itself: field names, the categories, tags, languages and section
// numbers pages hold, heading labels after under:, and the index's words.
// For shell completion and for a search box's suggestions.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "format/documents.h"
#include "format/schema.h"
#include "search/searcher_impl.h"
#include "taxon/searcher.h"
#include "util/text.h"
#include "xapian_error.h"

namespace taxon {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Whether some heading that is not hidden holds `term`.
bool live_term(search::SearcherState& im, const std::string& term) {
  if (im.hidden_docs == 0) return true;
  Xapian::Enquire enquire(im.db);
  enquire.set_query(im.live(Xapian::Query(term)));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return !enquire.get_mset(0, 1).empty();
}

// The values of boolean terms `prefix` + `start`..., most used first: the
// term's document count, which for the few pages of a removed one still in
// the shard is checked against live_term.
std::vector<std::string> term_values(search::SearcherState& im, std::string_view prefix,
                                     const std::string& start, std::size_t limit) {
  const std::string from = std::string(prefix) + start;
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto it = im.db.allterms_begin(from); it != im.db.allterms_end(from); ++it) {
    if (found.size() >= 10000) break;  // a prefix of almost everything: enough to rank
    found.emplace_back(it.get_termfreq(), (*it).substr(prefix.size()));
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [n, value] : found) {
    if (out.size() >= limit) break;
    if (!value.empty() && live_term(im, std::string(prefix) + value))
      out.push_back(std::move(value));
  }
  return out;
}

// Whether the words of `label` begin with `typed` (its last word may be the
// start of one).
bool label_begins(const std::vector<std::string>& label, const std::vector<std::string>& typed) {
  if (typed.empty() || label.size() < typed.size()) return false;
  for (std::size_t k = 0; k + 1 < typed.size(); ++k)
    if (label[k] != typed[k]) return false;
  return starts_with(label[typed.size() - 1], typed.back());
}

// "2.10" after "2.9": section numbers part by part, as numbers.
bool section_order(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    std::uint64_t x = 0, y = 0;
    const std::size_t ei = std::min(a.find('.', i), a.size());
    const std::size_t ej = std::min(b.find('.', j), b.size());
    if (!util::parse_u64(std::string_view(a).substr(i, ei - i), x) ||
        !util::parse_u64(std::string_view(b).substr(j, ej - j), y))
      return a < b;
    if (x != y) return x < y;
    i = ei + 1;
    j = ej + 1;
  }
  return a.size() < b.size();
}

}  // namespace

const std::vector<std::string>& query_fields() {
  static const std::vector<std::string> fields = {
      "label:", "keywords:", "category:", "tag:", "page:", "lang:", "level:", "under:"};
  return fields;
}

namespace {

// The field names and the index's words (its spelling table) that `word`
// starts, most used first, each after `sign`.
std::vector<std::string> word_completions(search::SearcherState& im, std::string_view word,
                                          const std::string& sign, std::size_t limit) {
  std::vector<std::string> out;
  for (const auto& f : query_fields())
    if (starts_with(f, util::ascii_lower(word)) && out.size() < limit) out.push_back(sign + f);
  const std::string start = im.analyzer.fold(word);
  if (start.empty()) return out;
  std::vector<std::pair<Xapian::doccount, std::string>> words;
  auto it = im.vocab.spellings_begin();
  it.skip_to(start);
  for (; it != im.vocab.spellings_end() && words.size() < 10000; ++it) {
    if (!starts_with(*it, start)) break;
    words.emplace_back(it.get_termfreq(), *it);
  }
  std::stable_sort(words.begin(), words.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [n, w] : words) {
    if (out.size() >= limit) break;
    out.push_back(sign + w);
  }
  return out;
}

// The labels that begin with the words typed after under: (`v`): a search
// of the label field, its last word a prefix.
std::vector<std::string> label_completions(Searcher& searcher, search::SearcherState& im,
                                           std::string_view v, std::size_t limit) {
  std::vector<std::string> values;
  const std::vector<std::string> typed = im.analyzer.words(v);
  if (typed.empty()) return values;
  std::string q;
  for (std::size_t k = 0; k < typed.size(); ++k)
    q += "label:" + typed[k] + (k + 1 == typed.size() ? "* " : " ");
  SearchOptions so;
  so.limit = 200;
  so.all = true;
  so.spelling = false;
  so.complete = false;
  so.count = false;
  SearchResult r;
  try {
    r = searcher.search(q, so);
  } catch (const Error&) {
    return values;  // words the query language cannot take: nothing to offer
  }
  // under: matches labels as words, so "Security" and "security" are one.
  std::vector<std::string> seen;
  for (const auto& h : r.hits) {
    if (values.size() >= limit) break;
    if (h.label.find('"') != std::string::npos) continue;
    const std::vector<std::string> words = im.analyzer.words(h.label);
    if (!label_begins(words, typed)) continue;
    std::string key;
    for (const auto& w : words) key.append(w).push_back(' ');
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    values.push_back(h.label.find(' ') == std::string::npos ? h.label : '"' + h.label + '"');
  }
  return values;
}

// The values of `field` (lowered) that `value` starts.
std::vector<std::string> value_completions(Searcher& searcher, search::SearcherState& im,
                                           const std::string& field, std::string_view value,
                                           std::size_t limit) {
  std::vector<std::string> values;
  if (field == "category" || field == "tag") {
    // Values are stored folded ("International Entities" ->
    // international-entities); a value still being typed may end in '-'.
    std::string start = format::fold_taxonomy(im.analyzer, value);
    if (!value.empty() && (value.back() == '-' || value.back() == ' ') && !start.empty())
      start += '-';
    values = term_values(im, field == "tag" ? schema::kTag : schema::kCategory, start, limit);
  } else if (field == "lang") {
    values = term_values(im, schema::kLang, util::ascii_lower(value), limit);
  } else if (field == "level") {
    values = term_values(im, schema::kLevel, std::string(value), limit);
    std::sort(values.begin(), values.end());
  } else if (field == "under") {
    std::string_view v = value;
    if (!v.empty() && v.front() == '"') v.remove_prefix(1);
    if (v.empty() || std::isdigit(static_cast<unsigned char>(v.front()))) {
      // Section numbers.
      values = term_values(im, schema::kNumber, std::string(v), limit);
      std::sort(values.begin(), values.end(), section_order);
    } else {
      values = label_completions(searcher, im, v, limit);
    }
  }
  return values;
}

}  // namespace

std::vector<std::string> Searcher::complete(std::string_view word, std::size_t limit) {
  Impl& im = *impl_;
  std::vector<std::string> out;
  if (limit == 0 || word.size() > QueryLimits{}.max_bytes) return out;
  // A leading + or - (required, excluded) stays in front of every completion.
  std::string sign;
  if (!word.empty() && (word.front() == '+' || word.front() == '-')) {
    sign = word.front();
    word.remove_prefix(1);
  }
  return xapian_try(im.path, [&] {
    const auto colon = word.find(':');
    if (colon == std::string_view::npos) return word_completions(im, word, sign, limit);
    const std::string field = util::ascii_lower(word.substr(0, colon));
    const std::string head = sign + field + ":";
    for (auto& v : value_completions(*this, im, field, word.substr(colon + 1), limit))
      out.push_back(head + v);
    return out;
  });
}

}  // namespace taxon
