// SPDX-License-Identifier: MIT
// The query a search step runs (see query_builder.h). Ranking: BM25 over the
// heading documents, where the Z-stemmed query does the matching and exact
// (unstemmed) label words and the whole label add weight on top, so
// "mitigation" ranks a "Mitigation" label above a "Mitigated" one and "cafe"
// ranks "Cafe" above "Cafe Royale". In an index of several languages, a
// stem met in the page's own language weighs more than one met through
// another language's stemmer. Labels outweigh keyword phrases and
// ancestors' labels through their within-document frequencies (see
// format/documents.cpp).
#include "search/query_builder.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <utility>

#include "format/schema.h"
#include "search/query_text.h"

namespace taxon::search {
namespace {

constexpr double kExactBoost = 0.5;       // weight of exact words next to their stems
constexpr double kWholeLabelBoost = 1.5;  // weight of a query that is a whole label
// Weight of a word's stem matched in the page's own language. Each page is
// stemmed in its language and a query in all of the index's, so a stem can
// meet another language's word: "cardiology" (English stem cardiolog) meets
// the French "cardiologie" (French stem cardiolog), while the French stem
// of "cardiology" is cardiology. A match in the page's own language is the
// one the words make, a match across languages a coincidence of two
// stemmers: the first counts twice, so the second counts half.
constexpr double kOwnLanguageBoost = 1.0;

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
// completed), one for each stem it expands to (at most 64); each with the
// languages that make it. None when the query has operators, fields or
// phrases.
std::map<std::string, std::set<std::string>> whole_label_terms(
    const std::string& normalized, bool prefix_last, Analyzer& analyzer, WildcardField& wildcards,
    const std::vector<std::string>& langs, const std::set<std::string>& stops) {
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
  std::map<std::string, std::set<std::string>> out;
  for (const auto& v : variants) {
    for (const auto& lang : langs) {
      std::vector<std::string> stems;
      for (std::size_t k = 0; k + 1 < v.size(); ++k) stems.push_back(analyzer.stem(v[k], lang));
      stems.push_back(analyzer.stem(last, lang));
      out[schema::whole_label_term(stems)].insert(lang);
      // A completion's stems are the index's, of any language: a term of
      // one alone is any language's, with other words it is theirs.
      for (const auto& s : lasts) {
        stems.back() = s;
        auto& made_by = out[schema::whole_label_term(stems)];
        if (v.size() == 1)
          made_by.insert(langs.begin(), langs.end());
        else
          made_by.insert(lang);
      }
    }
  }
  return out;
}

// The index's lang: codes by stemming language, of `langs` only.
std::map<std::string, std::vector<std::string>> stemming_groups(
    const SearcherState& im, const std::vector<std::string>& langs) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [stemmer, codes] : im.codes_by_stemmer)
    if (std::find(langs.begin(), langs.end(), stemmer) != langs.end()) out[stemmer] = codes;
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
      groups_(stemming_groups(im, langs)),
      stops_(im.stop_words(langs)),
      query_(query),
      max_expansion_(std::max<std::size_t>(options.limits.max_expansion, 1)),
      label_fp_(im.analyzer, std::string(schema::kLabel), max_expansion_, im.db),
      wildcard_fp_(
          im.analyzer, im.vocab, max_expansion_,
          static_cast<Xapian::doccount>(std::min<std::size_t>(
              options.limits.max_completion_pages, std::numeric_limits<Xapian::doccount>::max())),
          langs),
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
  Planner planner(im_, langs_, stops_, wildcard_fp_, max_expansion_, mode, related_);
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
  const auto wholes =
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
  if (Xapian::Query whole = whole_label_query(wholes); !whole.empty())
    extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, std::move(whole), kWholeLabelBoost);
  if (Xapian::Query own = own_language_stems(terms); !own.empty())
    extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, std::move(own), kOwnLanguageBoost);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, main,
                       Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
}

std::vector<std::string> QueryBuilder::codes_of(const std::set<std::string>& stemmers) const {
  std::vector<std::string> codes;
  for (const auto& [stemmer, cs] : im_.codes_by_stemmer)
    if (stemmers.contains(stemmer)) codes.insert(codes.end(), cs.begin(), cs.end());
  return codes;
}

Xapian::Query QueryBuilder::on_pages_in(const Xapian::Query& q,
                                        const std::vector<std::string>& codes) const {
  // The pages of these codes, or the pages of none of the others: whichever
  // walks fewer lang: postings (one language is most pages of most indexes).
  std::vector<Xapian::Query> in, out;
  Xapian::doccount in_docs = 0, out_docs = 0;
  for (const auto& [code, docs] : im_.docs_by_code) {
    const bool mine = std::find(codes.begin(), codes.end(), code) != codes.end();
    (mine ? in : out).emplace_back(std::string(schema::kLang) + code);
    (mine ? in_docs : out_docs) += docs;
  }
  if (out.empty()) return q;
  // A page without a lang: term is in none of the codes.
  if (in_docs <= out_docs || in_docs + out_docs < im_.db.get_doccount())
    return Xapian::Query(Xapian::Query::OP_FILTER, q,
                         Xapian::Query(Xapian::Query::OP_OR, in.begin(), in.end()));
  return Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                       Xapian::Query(Xapian::Query::OP_OR, out.begin(), out.end()));
}

Xapian::Query QueryBuilder::whole_label_query(
    const std::map<std::string, std::set<std::string>>& wholes) const {
  // With one stemming language, or for terms every language makes, any
  // page's whole label may be met; else only on the pages of the languages
  // that make the term (see kOwnLanguageBoost).
  // The terms of the same languages share one filter: a completed last
  // word makes up to 64 terms a language.
  std::vector<Xapian::Query> parts, anywhere;
  std::map<std::set<std::string>, std::vector<Xapian::Query>> by_languages;
  for (const auto& [term, stemmers] : wholes) {
    bool every = true;
    for (const auto& g : groups_) every = every && stemmers.contains(g.first);
    if (groups_.size() < 2 || every)
      anywhere.emplace_back(term);
    else
      by_languages[stemmers].emplace_back(term);
  }
  for (const auto& [stemmers, terms] : by_languages)
    if (const std::vector<std::string> codes = codes_of(stemmers); !codes.empty())
      parts.push_back(
          on_pages_in(Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end()), codes));
  parts.insert(parts.end(), anywhere.begin(), anywhere.end());
  return parts.empty() ? Xapian::Query()
                       : Xapian::Query(Xapian::Query::OP_SYNONYM, parts.begin(), parts.end());
}

Xapian::Query QueryBuilder::own_language_stems(const std::vector<std::string>& words) {
  if (groups_.size() < 2) return {};
  std::vector<Xapian::Query> parts;
  std::map<std::string, std::vector<std::string>> codes_by_stem;
  for (const auto& w : words) {
    codes_by_stem.clear();
    for (const auto& [stemmer, codes] : groups_) {
      auto& c = codes_by_stem[std::string(schema::kStem) + im_.analyzer.stem(w, stemmer)];
      c.insert(c.end(), codes.begin(), codes.end());
    }
    // Every page stems the word alike: each match is its own language's.
    if (codes_by_stem.size() < 2) continue;
    // One synonym, as the word's stems are in the main query: the
    // languages' pages share one term frequency, so the fewer pages of one
    // language do not weigh more.
    std::vector<Xapian::Query> own;
    own.reserve(codes_by_stem.size());
    for (const auto& [stem, codes] : codes_by_stem)
      own.push_back(on_pages_in(Xapian::Query(stem), codes));
    parts.emplace_back(Xapian::Query::OP_SYNONYM, own.begin(), own.end());
  }
  return parts.empty() ? Xapian::Query()
                       : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
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
