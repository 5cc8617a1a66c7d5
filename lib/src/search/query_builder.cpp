// SPDX-License-Identifier: MIT
// The query a search step runs (see query_builder.h). Ranking: BM25 over the
// heading documents, where the Z-stemmed query does the matching and exact
// (unstemmed) label words and the whole label add weight on top, so
// "mitigation" ranks a "Mitigation" label above a "Mitigated" one and "cafe"
// ranks "Cafe" above "Cafe Royale". Labels outweigh keyword phrases and
// ancestors' labels through their within-document frequencies (see
// format/documents.cpp).
#include "search/query_builder.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "format/schema.h"
#include "search/query_text.h"

namespace taxon::search {
namespace {

constexpr double kExactBoost = 0.5;       // weight of exact words next to their stems
constexpr double kWholeLabelBoost = 1.5;  // weight of a query that is a whole label

// The fields whose values are hidden from the parser (see hide_field_values).
const std::set<std::string, std::less<>>& word_fields() {
  static const std::set<std::string, std::less<>> fields = {"label", "keywords",
                                                            std::string(kWildcardField)};
  return fields;
}

// How deep operators nest in `q`, counted up to `limit` + 1, without
// recursion: the query is not known to be shallow yet.
std::size_t query_depth(const Xapian::Query& q, std::size_t limit) {
  std::size_t deepest = 0;
  std::vector<std::pair<Xapian::Query, std::size_t>> todo{{q, 0}};
  while (!todo.empty()) {
    auto [node, depth] = std::move(todo.back());
    todo.pop_back();
    deepest = std::max(deepest, depth);
    if (deepest > limit) break;
    for (std::size_t i = 0; i < node.get_num_subqueries(); ++i)
      todo.emplace_back(node.get_subquery(i), depth + 1);
  }
  return deepest;
}

void collect_plain_terms(const Xapian::Query& q, std::vector<std::string>& out) {
  for (auto it = q.get_terms_begin(); it != q.get_terms_end(); ++it) {
    const std::string& t = *it;
    // Not synonyms that are phrases: no label term holds a space.
    if (!t.empty() && !(t[0] >= 'A' && t[0] <= 'Z') && t.find(' ') == std::string::npos)
      out.push_back(t);
  }
}

// The words of a plain-words query, or none when it has operators, fields,
// phrases or a wildcard before its last word.
std::vector<std::string> plain_words(const std::string& normalized) {
  if (normalized.find_first_of("\":()+-") != std::string::npos) return {};
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < normalized.size()) {
    std::size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    std::string w = normalized.substr(i, j - i);
    if (is_operator(w)) return {};
    if (!w.empty()) words.push_back(std::move(w));
    i = j + 1;
  }
  for (std::size_t k = 0; k + 1 < words.size(); ++k)
    if (words[k].find('*') != std::string::npos) return {};
  return words;
}

// The whole-label terms of a plain-words query ("cafe", "debris
// mitigation"), in each query language, also without its stop words: one
// each, or, when the last word is a prefix (a trailing '*', or a word being
// completed), one for each stem it expands to (at most 64). None when the
// query has operators, fields or phrases.
std::vector<std::string> whole_label_terms(const std::string& normalized, bool prefix_last,
                                           Analyzer& analyzer, WildcardField& wildcards,
                                           const std::vector<std::string>& langs,
                                           const std::set<std::string>& stops) {
  std::vector<std::string> words = plain_words(normalized);
  if (words.empty()) return {};
  std::string last = words.back();
  const bool prefix = last.back() == '*' || prefix_last;
  while (!last.empty() && last.back() == '*') last.pop_back();
  if (last.empty()) return {};
  words.back() = last;
  std::vector<std::vector<std::string>> variants{words};
  std::vector<std::string> content;
  for (std::size_t k = 0; k + 1 < words.size(); ++k)
    if (!stops.contains(words[k])) content.push_back(words[k]);
  content.push_back(last);
  if (content.size() < words.size()) variants.push_back(content);
  std::vector<std::string> lasts;
  if (prefix) {
    for (const auto& t : wildcards.stems(last)) lasts.push_back(t.substr(schema::kStem.size()));
    if (lasts.size() > 64) lasts.resize(64);
  }
  std::vector<std::string> out;
  for (const auto& v : variants) {
    for (const auto& lang : langs) {
      std::vector<std::string> stems;
      for (std::size_t k = 0; k + 1 < v.size(); ++k) stems.push_back(analyzer.stem(v[k], lang));
      stems.push_back(analyzer.stem(last, lang));
      out.push_back(schema::whole_label_term(stems));
      for (const auto& s : lasts) {
        stems.back() = s;
        out.push_back(schema::whole_label_term(stems));
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

constexpr const char* kWindowOperands =
    "NEAR and ADJ join plain words, not wildcards, excluded words or field:value pairs";

}  // namespace

Error malformed_query(std::string_view query, const std::string& why) {
  return Error(ErrorCode::BadQuery, "malformed query '" + cut_for_message(query) + "': " + why);
}

QueryBuilder::QueryBuilder(SearcherState& im, const SearchOptions& options,
                           const std::vector<std::string>& langs, std::string_view query)
    : im_(im),
      options_(options),
      langs_(langs),
      stops_(im.stop_words(langs)),
      query_(query),
      max_expansion_(std::max<std::size_t>(options.limits.max_expansion, 1)),
      label_fp_(im.analyzer, std::string(schema::kLabel), max_expansion_, im.db),
      wildcard_fp_(im.analyzer, im.vocab, max_expansion_, langs),
      keyword_fp_(im.analyzer, wildcard_fp_, langs, im),
      category_fp_(im.analyzer, std::string(schema::kCategory)),
      tag_fp_(im.analyzer, std::string(schema::kTag)),
      level_fp_(field_errors_),
      page_fp_(im),
      under_fp_(im, field_errors_) {
  mode.stop_optional = !options.all;
  set_up_parser(options.any);
}

void QueryBuilder::set_up_parser(bool any) {
  // The database the parser reads synonyms from.
  qp_.set_database(im_.vocab);
  qp_.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  qp_.set_default_op(any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
  // Wildcards are expanded by the field processors; should the parser
  // expand one itself, it keeps to the same bound.
  qp_.set_max_expansion(static_cast<Xapian::termcount>(max_expansion_),
                        Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  qp_.add_prefix("label", &label_fp_);
  qp_.add_prefix("keywords", &keyword_fp_);
  qp_.add_prefix(std::string(kWildcardField), &wildcard_fp_);
  qp_.add_boolean_prefix("category", &category_fp_);
  qp_.add_boolean_prefix("tag", &tag_fp_);
  qp_.add_boolean_prefix("lang", &lang_fp_);
  qp_.add_boolean_prefix("level", &level_fp_);
  qp_.add_boolean_prefix("page", &page_fp_);
  qp_.add_boolean_prefix("under", &under_fp_);
  flags_ = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
           Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
}

Xapian::Query QueryBuilder::parse(const std::string& text) {
  const std::string hidden =
      hide_field_values(mark_wildcards(text, options_.partial), word_fields());
  if (window_op_beside_non_word(hidden, word_fields()))
    throw malformed_query(query_, kWindowOperands);
  Xapian::Query exact = qp_.parse_query(hidden, flags_);
  // Flat text can nest deep: Xapian nests each NOT of a chain, and each
  // change between AND, OR, NOT and XOR, a level deeper. Matching and
  // the planner walk the tree recursively.
  const std::size_t max_nesting = 2 * options_.limits.max_depth;
  if (const std::size_t depth = query_depth(exact, max_nesting); depth > max_nesting)
    throw malformed_query(query_, "operators nest more than " + std::to_string(max_nesting) +
                                      " deep: the limit is " + std::to_string(max_nesting) +
                                      " (each NOT of a chain, or change of operator, is a level)");
  return exact;
}

Xapian::Query QueryBuilder::build(const std::string& text) {
  const Xapian::Query exact = parse(text);
  Planner planner(im_, langs_, stops_, wildcard_fp_, max_expansion_, mode);
  Xapian::Query main = planner.plan(exact);
  optional_words = std::move(planner.optional);
  derived = planner.derived;
  completed = planner.completed;
  planned_words = planner.top_words;
  word_terms = std::move(planner.word_terms);
  return boost(std::move(main), exact, text);
}

Xapian::Query QueryBuilder::boost(Xapian::Query main, const Xapian::Query& exact,
                                  const std::string& text) {
  std::vector<std::string> terms;
  collect_plain_terms(exact, terms);
  const bool prefix_last = options_.partial || (!mode.complete.empty() && completed);
  const std::vector<std::string> wholes =
      whole_label_terms(text, prefix_last, im_.analyzer, wildcard_fp_, langs_, stops_);
  if ((terms.empty() && wholes.empty()) || main.empty()) return main;
  // Exact words are boosted in labels only: the label field's postings
  // are a fraction of all words', and walking them for every match was
  // half the time of the slowest queries (p99 at 1M headings 42 -> 23 ms).
  std::vector<Xapian::Query> parts;
  parts.reserve(terms.size());
  for (const auto& t : terms) parts.emplace_back(std::string(schema::kLabel) + t);
  std::vector<Xapian::Query> extra;
  if (!parts.empty())
    extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                       kExactBoost);
  if (!wholes.empty())
    extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_SYNONYM, wholes.begin(), wholes.end()),
                       kWholeLabelBoost);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, main,
                       Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
}

Xapian::Query QueryBuilder::build_checked(const std::string& text) {
  // Not xapian_try: these are the user's query, reported as malformed with
  // the query quoted, as the checks before parsing report it.
  try {
    return build(text);
  } catch (const Xapian::QueryParserError& e) {
    throw malformed_query(query_, e.get_msg());
  } catch (const Xapian::UnimplementedError&) {
    // The parser builds NEAR and ADJ of plain words only.
    throw malformed_query(query_, kWindowOperands);
  }
}

}  // namespace taxon::search
