// SPDX-License-Identifier: MIT
// Query building, filters, grouping, facets, spelling and hit assembly.
// Ranking: BM25 over the heading documents, where the Z-stemmed query does
// the matching and exact (unstemmed) label words and the whole label add
// weight on top, so "mitigation" ranks a "Mitigation" label above a
// "Mitigated" one and "cafe" ranks "Cafe" above "Cafe Royale". Labels outweigh
// keyword phrases and ancestors' labels through their within-document
// frequencies (see format/documents.cpp).
#include "taxon/searcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>

#include <xapian.h>

#include "analysis/stopwords.h"
#include "format/documents.h"
#include "format/layout.h"
#include "format/schema.h"
#include "search/checks.h"
#include "search/fields.h"
#include "search/hits.h"
#include "search/query_text.h"
#include "search/searcher_impl.h"
#include "search/state.h"
#include "search/vocabulary.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "taxon/version.h"
#include "util/text.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon {

std::string Crumb::text() const { return number.empty() ? label : number + " " + label; }

std::string Hit::breadcrumb(std::string_view sep) const {
  std::string out;
  for (const auto& a : ancestors) {
    if (!out.empty()) out.append(sep);
    out += a.text();
  }
  return out;
}

std::string Hit::heading() const { return number.empty() ? label : number + " " + label; }

namespace {

// BM25 parameters, tuned on the relevance suite (tests/relevance). Length
// normalisation (b) is in the stored wdfs (schema::normalized_wdf), so the
// query side runs BM25 with b = 0 and k1 on the same scale as those wdfs.
constexpr double kK1 = 1.2 * schema::kWdfScale;
constexpr double kExactBoost = 0.5;       // weight of exact words next to their stems
constexpr double kWholeLabelBoost = 1.5;  // weight of a query that is a whole label
// Totals are estimated from at least this many matches, and exact below it.
constexpr std::size_t kCheckAtLeast = 2000;

}  // namespace

namespace {

using namespace search;  // the parts in search/: state, vocabulary, checks, fields

// How a query's words are matched. search() tries the steps in turn until
// one finds something: the query as typed (stop words optional, the last
// word completed when it is no word of the index), the spelling
// correction, then widened: the last word completed anyway, related word
// forms, and most of the words.
struct MatchMode {
  bool stop_optional = true;  // stop words do not have to match (they count when they do)
  std::string complete;       // this word also matches the words it starts
  bool derive = false;        // words also match words starting with their stem
  // Headings with at least this many of the words (0: all of them).
  std::size_t at_least = 0;
};

// A completion counts for less than the word typed whole, a related form
// (economy for economic) for less still.
constexpr double kCompletionWeight = 0.8;
constexpr double kDerivedWeight = 0.5;
// With most words, at most this many combinations of the words, each
// matched as an AND (cheap: the rarest word leads); beyond, any of them.
constexpr std::size_t kMaxCombinations = 64;
// Any one of the words is matched as such while the words' postings add up
// to no more than this; beyond, the rarest word leads and the others add
// weight, since an OR walks every posting of every word (at 1M headings a
// common word has tens of thousands).
constexpr Xapian::doccount kMaxAnyWordPostings = 20000;
// Related forms kept a word: the most frequent (economy, economics,
// economist for economic); and completions of a word that is itself a word
// of the index, when the query found nothing as typed.
constexpr std::size_t kMaxRelatedForms = 10;

// Turns the parser's tree of words as typed into what is matched: each word
// into its stems in every query language, quoted phrases, NEAR and synonyms
// that are phrases into their words checked against the stored text (the
// index keeps no positions), stop words into optional ones. Only the
// operators the parser builds are walked; their depth is already bounded.
class Planner {
 public:
  Planner(SearcherState& s, const std::vector<std::string>& langs,
          const std::set<std::string>& stops, WildcardField& wildcards, std::size_t max_expansion,
          const MatchMode& mode)
      : s_(s),
        langs_(langs),
        stops_(stops),
        wildcards_(wildcards),
        max_expansion_(max_expansion),
        mode_(mode) {}

  Xapian::Query plan(const Xapian::Query& exact) { return node(exact, true); }

  std::vector<std::string> optional;              // stop words that did not have to match
  bool derived = false;                           // some word matched related forms
  bool completed = false;                         // the word to complete had completions
  std::size_t top_words = 0;                      // how many words the top AND holds
  std::vector<std::set<std::string>> word_terms;  // with at_least: each word's terms

  // The Z terms of a word in each query language.
  std::vector<std::string> group(const std::string& word) {
    return stem_terms({word}, s_.analyzer, langs_);
  }

 private:
  static bool plain(const Xapian::Query& q) {
    if (q.get_type() != Xapian::Query::LEAF_TERM) return false;
    const std::string t = *q.get_terms_begin();
    return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z');
  }

  static Xapian::Query any_of(const std::vector<std::string>& terms, Xapian::Query::op op) {
    if (terms.size() == 1) return Xapian::Query(terms[0]);
    return Xapian::Query(op, terms.begin(), terms.end());
  }

  // Terms in `more` that are not in `have`.
  static std::vector<std::string> minus(const std::vector<std::string>& more,
                                        const std::vector<std::string>& have) {
    std::vector<std::string> out;
    for (const auto& t : more)
      if (std::find(have.begin(), have.end(), t) == have.end()) out.push_back(t);
    return out;
  }

  bool any_exists(const std::vector<std::string>& terms) const {
    for (const auto& t : terms)
      if (s_.db.term_exists(t)) return true;
    return false;
  }

  Xapian::Query word(const std::string& w) {
    const std::vector<std::string> g = group(w);
    if (g.empty()) return Xapian::Query::MatchNothing;
    Xapian::Query base = any_of(g, Xapian::Query::OP_SYNONYM);
    std::vector<Xapian::Query> parts{base};
    if (!mode_.complete.empty() && w == mode_.complete) {
      // The most frequent completion is the one reported ("shortc ->
      // shortcode") and counts as such; the others count for half.
      // A word of the index completed only because nothing matched keeps
      // to its most frequent completions, like a related form.
      const bool known = spelling_frequency(s_.vocab, w) > 0;
      const auto more =
          minus(known ? prefix_stems(s_.vocab, s_.analyzer, w,
                                     std::min(max_expansion_, kMaxRelatedForms), langs_)
                      : wildcards_.stems(w),
                g);
      const std::string best = s_.best_completion(w);
      const auto first = best.empty() ? std::vector<std::string>{} : minus(group(best), g);
      const auto rest = minus(more, first);
      if (!first.empty())
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(first, Xapian::Query::OP_SYNONYM),
                           kCompletionWeight);
      if (!rest.empty())
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(rest, Xapian::Query::OP_SYNONYM),
                           kCompletionWeight / 2);
      completed = !more.empty();
    }
    // A word the index does not hold may be two it does, written together.
    if (!any_exists(g) && spelling_frequency(s_.vocab, w) == 0) {
      const auto [a, b] = s_.split_in_two(w);
      if (!a.empty()) parts.push_back(phrase({a, b}, 2, true));
    }
    if (mode_.derive) {
      std::vector<std::string> more;
      for (const auto& t : g) {
        const std::string stem = t.substr(schema::kStem.size());
        // Short stems start too many unrelated words ("art": article, artist).
        if (stem.size() < 5) continue;
        for (auto& d : prefix_stems(s_.vocab, s_.analyzer, stem,
                                    std::min(max_expansion_, kMaxRelatedForms), langs_))
          more.push_back(std::move(d));
      }
      std::sort(more.begin(), more.end());
      more.erase(std::unique(more.begin(), more.end()), more.end());
      more = minus(more, g);
      if (!more.empty()) {
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(more, Xapian::Query::OP_SYNONYM),
                           kDerivedWeight);
        derived = true;
      }
    }
    return parts.size() == 1 ? base
                             : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

  Xapian::Query phrase(const std::vector<std::string>& words, std::size_t window, bool ordered) {
    std::vector<std::vector<std::string>> groups;
    std::vector<Xapian::Query> all;
    for (const auto& w : words) {
      groups.push_back(group(w));
      if (groups.back().empty()) return Xapian::Query::MatchNothing;
      all.push_back(any_of(groups.back(), Xapian::Query::OP_SYNONYM));
    }
    if (words.size() == 1) return all[0];
    Xapian::Query check = check_query(new WindowSource(s_.analyzer, std::move(groups), words,
                                                       std::max(window, words.size()), ordered),
                                      s_);
    return Xapian::Query(Xapian::Query::OP_FILTER,
                         Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()), check);
  }

  // Headings with at least `m` of `subs`: one AND for each combination of
  // `m` of them (an AND is led by its rarest word, so each is cheap), any of
  // the combinations; for one word, the rarest word, the others adding
  // weight. An OR of frequent words would walk all their postings.
  Xapian::Query at_least(const std::vector<Xapian::Query>& subs, std::size_t m) {
    const std::size_t k = subs.size();
    if (m == 1) {
      std::size_t rarest = 0;
      Xapian::doccount least = 0, all = 0;
      for (std::size_t i = 0; i < k; ++i) {
        Xapian::doccount f = 0;
        for (auto t = subs[i].get_terms_begin(); t != subs[i].get_terms_end(); ++t)
          f += s_.db.get_termfreq(*t);
        if (i == 0 || f < least) rarest = i, least = f;
        all += f;
      }
      if (all <= kMaxAnyWordPostings)
        return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
      std::vector<Xapian::Query> others;
      for (std::size_t i = 0; i < k; ++i)
        if (i != rarest) others.push_back(subs[i]);
      return Xapian::Query(Xapian::Query::OP_AND_MAYBE, subs[rarest],
                           Xapian::Query(Xapian::Query::OP_OR, others.begin(), others.end()));
    }
    std::vector<Xapian::Query> combos;
    std::vector<bool> pick(k, false);
    std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(m), true);
    do {
      std::vector<Xapian::Query> chosen;
      for (std::size_t i = 0; i < k; ++i)
        if (pick[i]) chosen.push_back(subs[i]);
      combos.emplace_back(Xapian::Query::OP_AND, chosen.begin(), chosen.end());
      if (combos.size() > kMaxCombinations)
        return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    } while (std::prev_permutation(pick.begin(), pick.end()));
    return Xapian::Query(Xapian::Query::OP_OR, combos.begin(), combos.end());
  }

  // `target`: the node where "most words" applies (the root, or the left
  // side of a filter under it).
  Xapian::Query node(const Xapian::Query& q, bool target) {
    const auto op = q.get_type();
    const std::size_t n = q.get_num_subqueries();
    if (op == Xapian::Query::LEAF_TERM) {
      if (!plain(q)) return q;
      const std::string t = *q.get_terms_begin();
      if (t.find(' ') != std::string::npos) {  // a synonym that is a phrase
        const auto words = s_.analyzer.words(t);
        return phrase(words, words.size(), true);
      }
      return word(t);
    }
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
      std::vector<std::string> words;
      for (std::size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = q.get_subquery(i);
        if (!plain(sub)) {
          words.clear();
          break;
        }
        words.push_back(*sub.get_terms_begin());
      }
      if (words.empty()) {
        std::vector<Xapian::Query> subs;
        for (std::size_t i = 0; i < n; ++i) subs.push_back(node(q.get_subquery(i), false));
        return Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end());
      }
      // Xapian 1.4 does not expose a node's window, but prints it: "(a@1 PHRASE 2 b@2)".
      std::size_t window = n;
      const std::string text = q.get_description();
      const char* name = op == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
      if (auto at = text.find(name); at != std::string::npos)
        window = std::strtoul(text.c_str() + at + std::strlen(name), nullptr, 10);
      return phrase(words, window, op == Xapian::Query::OP_PHRASE);
    }
    switch (op) {
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_AND_NOT:
      case Xapian::Query::OP_XOR:
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_FILTER:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        break;
      default:
        return q;  // leaves, and nodes the parser does not put words under
    }
    const bool passes_target = op == Xapian::Query::OP_FILTER ||
                               op == Xapian::Query::OP_AND_MAYBE || op == Xapian::Query::OP_AND_NOT;
    std::vector<Xapian::Query> subs, stops;
    for (std::size_t i = 0; i < n; ++i) {
      const Xapian::Query sub = q.get_subquery(i);
      if (op == Xapian::Query::OP_AND && mode_.stop_optional && plain(sub) &&
          stops_.count(*sub.get_terms_begin())) {
        stops.push_back(sub);
        continue;
      }
      subs.push_back(node(sub, target && passes_target && i == 0));
    }
    if (op == Xapian::Query::OP_AND && !stops.empty()) {
      if (subs.empty()) {  // nothing but stop words: they are the query
        for (const auto& sq : stops) subs.push_back(node(sq, false));
        stops.clear();
      } else {
        for (const auto& sq : stops) optional.push_back(*sq.get_terms_begin());
      }
    }
    Xapian::Query out;
    if (op == Xapian::Query::OP_AND && target) {
      top_words = subs.size();
      if (mode_.at_least > 0) {
        word_terms.clear();
        for (const auto& sub : subs)
          word_terms.emplace_back(sub.get_terms_begin(), sub.get_terms_end());
      }
    }
    if (op == Xapian::Query::OP_AND && target && mode_.at_least > 0 &&
        mode_.at_least < subs.size()) {
      out = at_least(subs, mode_.at_least);
    } else if (op == Xapian::Query::OP_SYNONYM) {
      // Terms, and words that became synonyms of their stems, stay one
      // synonym; a phrase check (a synonym that is a phrase) cannot be
      // weighed as a term, so then the group is an OR.
      std::vector<std::string> terms;
      bool only_terms = true;
      for (const auto& sub : subs) {
        if (sub.get_type() == Xapian::Query::LEAF_TERM) {
          terms.push_back(*sub.get_terms_begin());
          continue;
        }
        bool flat = sub.get_type() == Xapian::Query::OP_SYNONYM;
        for (std::size_t k = 0; flat && k < sub.get_num_subqueries(); ++k)
          flat = sub.get_subquery(k).get_type() == Xapian::Query::LEAF_TERM;
        if (!flat) {
          only_terms = false;
          break;
        }
        for (auto t = sub.get_terms_begin(); t != sub.get_terms_end(); ++t) terms.push_back(*t);
      }
      if (only_terms) {
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        out = any_of(terms, Xapian::Query::OP_SYNONYM);
      } else {
        out = Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
      }
    } else {
      out = subs.size() == 1 && (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR)
                ? subs[0]
                : Xapian::Query(op, subs.begin(), subs.end());
    }
    if (stops.empty()) return out;
    std::vector<Xapian::Query> extra;
    for (const auto& sq : stops) extra.push_back(node(sq, false));
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, out,
                         Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
  }

  SearcherState& s_;
  const std::vector<std::string>& langs_;
  const std::set<std::string>& stops_;
  WildcardField& wildcards_;
  std::size_t max_expansion_;
  const MatchMode& mode_;
};

// The whole-label terms of a plain-words query ("cafe", "debris
// mitigation"), in each query language, also without its stop words: one
// each, or, when the last word is a prefix (a trailing '*', or a word being
// completed), one for each stem it expands to (at most 64). None when the
// query has operators, fields or phrases.
std::vector<std::string> whole_label_terms(const std::string& normalized, bool prefix_last,
                                           Analyzer& analyzer, WildcardField& wildcards,
                                           const std::vector<std::string>& langs,
                                           const std::set<std::string>& stops) {
  if (normalized.find_first_of("\":()+-") != std::string::npos) return {};
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < normalized.size()) {
    std::size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    std::string w = normalized.substr(i, j - i);
    if (search::is_operator(w)) return {};
    if (!w.empty()) words.push_back(std::move(w));
    i = j + 1;
  }
  if (words.empty()) return {};
  for (std::size_t k = 0; k + 1 < words.size(); ++k)
    if (words[k].find('*') != std::string::npos) return {};
  std::string last = words.back();
  const bool prefix = last.back() == '*' || prefix_last;
  while (!last.empty() && last.back() == '*') last.pop_back();
  if (last.empty()) return {};
  words.back() = last;
  std::vector<std::vector<std::string>> variants{words};
  std::vector<std::string> content;
  for (std::size_t k = 0; k + 1 < words.size(); ++k)
    if (!stops.count(words[k])) content.push_back(words[k]);
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

// The normalized query with each word the index does not hold replaced by a
// spelling suggestion, or "" when nothing changes. Words the index holds are
// kept: Xapian would also propose a more frequent neighbour of a correct
// word ("situational" -> "situation"). Field values are left alone. At
// most `max_asked` unknown words are looked up (each lookup scans part of
// the spelling table); later ones stay as typed.
std::string correct_spelling(const std::string& normalized, SearcherState& state,
                             std::size_t max_asked, const std::string& keep_last,
                             const std::vector<std::string>& langs) {
  std::string fixed;
  bool changed = false;
  std::size_t asked = 0;
  bool in_field_value = false;  // inside field:"quoted value"
  std::size_t i = 0;
  while (i < normalized.size()) {
    std::size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    std::string token = normalized.substr(i, j - i);
    i = j + 1;
    const bool field = token.find(':') != std::string::npos;
    const bool skip = in_field_value || field;
    if (field || in_field_value) {
      const auto quotes = std::count(token.begin(), token.end(), '"');
      if (quotes % 2 == 1) in_field_value = !in_field_value;
    }
    const std::size_t a = token.find_first_not_of("\"()+-");
    const std::size_t b = token.find_last_not_of("\"()");
    if (!skip && a != std::string::npos && b != std::string::npos && a <= b &&
        token.back() != '*') {
      const std::string word = token.substr(a, b - a + 1);
      const bool completing = i >= normalized.size() && word == keep_last;
      // A word whose stem the index holds is no misspelling: "install"
      // finds "installation" though no page has "install" itself.
      auto stem_known = [&] {
        for (const auto& t : stem_terms({word}, state.analyzer, langs))
          if (state.db.term_exists(t)) return true;
        return false;
      };
      if (!search::is_operator(word) && !completing && asked < max_asked &&
          spelling_frequency(state.vocab, word) == 0 && !stem_known()) {
        ++asked;
        const std::string suggestion = state.spelling_suggestion(word);
        if (!suggestion.empty() && suggestion != word) {
          token = token.substr(0, a) + suggestion + token.substr(b + 1);
          changed = true;
        }
      }
    }
    if (!fixed.empty()) fixed += ' ';
    fixed += token;
  }
  return changed ? fixed : std::string();
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

// The terms of `q` that document `did` holds. Xapian's
// Enquire::get_matching_terms reads the document's term list, which the
// shards do not keep: over local shards each term's posting list is asked;
// over remote ones, where a posting list comes whole, the heading's terms are
// made again from its page record.
std::set<std::string> matching_terms(SearcherState& im, const Xapian::Query& q, Xapian::docid did) {
  std::set<std::string> have;
  if (im.remote) {
    schema::HeadingData d;
    const schema::PageData* page = nullptr;
    if (!im.heading(did, d, &page)) return have;
    const std::vector<std::string> held =
        format::heading_terms(page->outline, d.ordinal, page->lang, im.analyzer);
    const std::set<std::string> held_set(held.begin(), held.end());
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
      if (held_set.count(*t)) have.insert(*t);
    return have;
  }
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
    auto p = im.db.postlist_begin(*t);
    p.skip_to(did);
    if (p != im.db.postlist_end(*t) && *p == did) have.insert(*t);
  }
  return have;
}

SearchResult run_search(SearcherState& im, std::string_view query, const SearchOptions& options) {
  const QueryLimits& limits = options.limits;
  // Xapian counts hits in 32 bits: without this, a large offset would wrap.
  if (options.limit > limits.max_rank || options.offset > limits.max_rank - options.limit)
    throw Error(ErrorCode::InvalidArgument, "offset + limit is " + std::to_string(options.offset) +
                                                " + " + std::to_string(options.limit) +
                                                ": the limit is " +
                                                std::to_string(limits.max_rank));
  SearchResult res;
  res.query = std::string(query);
  if (util::find_invalid_utf8(query) != std::string_view::npos)
    throw Error(ErrorCode::BadQuery, "query is not valid UTF-8");
  // Messages quote the start of the query only: it may be long.
  auto malformed = [&query](const std::string& why) {
    return Error(ErrorCode::BadQuery,
                 "malformed query '" + search::cut_for_message(query) + "': " + why);
  };
  if (query.size() > limits.max_bytes)
    throw malformed("the query is " + std::to_string(query.size()) + " bytes long: the limit is " +
                    std::to_string(limits.max_bytes));
  return xapian_try(im.path, [&]() -> SearchResult {
    const std::size_t max_expansion = std::max<std::size_t>(limits.max_expansion, 1);
    static const std::set<std::string, std::less<>> kFields = {
        "label", "keywords", "category", "tag", "page", "lang", "level", "under"};
    const std::string normalized = search::normalize_query(query, im.analyzer, kFields);
    if (util::trim(normalized).empty())
      throw Error(ErrorCode::BadQuery, "empty query: give at least one word");
    if (const std::string why = search::check_query(normalized, options.partial, limits);
        !why.empty())
      throw malformed(why);

    // The languages the words are stemmed in: the ones named (options, or
    // lang: in the query) that the index holds stemmers for, else all the
    // index's languages.
    std::vector<std::string> langs;
    {
      std::vector<std::string> named = options.languages;
      for (const auto& v : search::field_values(normalized, "lang")) named.push_back(v);
      for (const auto& code : named)
        if (const std::string l = Analyzer::stemmer_language(util::ascii_lower(code)); !l.empty())
          langs.push_back(l);
      std::sort(langs.begin(), langs.end());
      langs.erase(std::unique(langs.begin(), langs.end()), langs.end());
      if (langs.empty()) langs = im.languages;
    }
    for (const auto& l : langs) res.languages.push_back(l);
    const std::set<std::string>& stops = im.stop_words(langs);

    WordsField label_fp(im.analyzer, std::string(schema::kLabel), max_expansion, im.db);
    WildcardField wildcard_fp(im.analyzer, im.vocab, max_expansion, langs);
    KeywordsField keyword_fp(im.analyzer, wildcard_fp, langs, im);
    TaxonomyField category_fp(im.analyzer, std::string(schema::kCategory));
    TaxonomyField tag_fp(im.analyzer, std::string(schema::kTag));
    LangField lang_fp;
    FieldErrors field_errors;
    LevelField level_fp(field_errors);
    PageField page_fp(im);
    UnderField under_fp(im, field_errors);
    Xapian::QueryParser qp;
    // The database the parser reads synonyms from.
    qp.set_database(im.vocab);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    qp.set_default_op(options.any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    // Wildcards are expanded by the field processors; should the parser
    // expand one itself, it keeps to the same bound.
    qp.set_max_expansion(static_cast<Xapian::termcount>(max_expansion),
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    qp.add_prefix("label", &label_fp);
    qp.add_prefix("keywords", &keyword_fp);
    qp.add_prefix(std::string(search::kWildcardField), &wildcard_fp);
    qp.add_boolean_prefix("category", &category_fp);
    qp.add_boolean_prefix("tag", &tag_fp);
    qp.add_boolean_prefix("lang", &lang_fp);
    qp.add_boolean_prefix("level", &level_fp);
    qp.add_boolean_prefix("page", &page_fp);
    qp.add_boolean_prefix("under", &under_fp);
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_PURE_NOT |
                     Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;

    // Search as you type: the last word, when it is a plain word, also
    // matches the words it starts: at once when the index has no such
    // word, or when the query finds nothing as typed.
    const std::string last = search::last_plain_word(normalized);
    const bool last_known = !last.empty() && spelling_frequency(im.vocab, last) > 0;
    // Whether the last word starts words of the index, asked only when it
    // matters: the word is not one, or the query found nothing.
    const bool completing_allowed =
        !options.partial && options.complete && !options.all && !last.empty();
    std::optional<bool> starts;
    auto may_complete = [&] {
      if (!starts) starts = completing_allowed && im.starts_words(last);
      return *starts;
    };

    static const std::set<std::string, std::less<>> kWordFields = {
        "label", "keywords", std::string(search::kWildcardField)};
    MatchMode mode;
    mode.stop_optional = !options.all;
    std::vector<std::string> optional_words;
    bool derived = false, completed = false;
    std::size_t planned_words = 0;
    std::vector<std::set<std::string>> word_terms;
    auto build = [&](const std::string& text) {
      const std::string hidden =
          search::hide_field_values(search::mark_wildcards(text, options.partial), kWordFields);
      if (search::window_op_beside_non_word(hidden, kWordFields))
        throw malformed("NEAR and ADJ join plain words, not wildcards or field:value pairs");
      Xapian::Query exact = qp.parse_query(hidden, flags);
      // Flat text can nest deep: Xapian nests each NOT of a chain, and each
      // change between AND, OR, NOT and XOR, a level deeper. Matching and
      // the planner walk the tree recursively.
      const std::size_t max_nesting = 2 * limits.max_depth;
      if (const std::size_t depth = query_depth(exact, max_nesting); depth > max_nesting)
        throw malformed("operators nest more than " + std::to_string(max_nesting) +
                        " deep: the limit is " + std::to_string(max_nesting) +
                        " (each NOT of a chain, or change of operator, is a level)");
      Planner planner(im, langs, stops, wildcard_fp, max_expansion, mode);
      Xapian::Query main = planner.plan(exact);
      optional_words = planner.optional;
      derived = planner.derived;
      completed = planner.completed;
      planned_words = planner.top_words;
      word_terms = planner.word_terms;
      std::vector<std::string> terms;
      collect_plain_terms(exact, terms);
      const bool prefix_last = options.partial || (!mode.complete.empty() && completed);
      const std::vector<std::string> wholes =
          whole_label_terms(text, prefix_last, im.analyzer, wildcard_fp, langs, stops);
      if ((!terms.empty() || !wholes.empty()) && !main.empty()) {
        // Exact words are boosted in labels only: the label field's postings
        // are a fraction of all words', and walking them for every match was
        // half the time of the slowest queries (p99 at 1M headings 42 -> 23 ms).
        std::vector<Xapian::Query> parts;
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
        main = Xapian::Query(Xapian::Query::OP_AND_MAYBE, main,
                             Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
      }
      return main;
    };
    auto attempt = [&](const std::string& text) {
      try {
        return build(text);
      } catch (const Xapian::QueryParserError& e) {
        throw malformed(e.get_msg());
      } catch (const Xapian::UnimplementedError&) {
        // The parser builds NEAR and ADJ of plain words only.
        throw malformed("NEAR and ADJ join plain words, not wildcards or field:value pairs");
      }
    };

    if (!last_known && may_complete()) mode.complete = last;
    Xapian::Query q = attempt(normalized);
    if (!field_errors.first.empty()) throw malformed(field_errors.first);
    if (q.empty()) return res;  // e.g. a filter that matches no heading

    Xapian::Enquire enquire(im.db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, 0, 0.5));
    if (options.group == GroupBy::Page) enquire.set_collapse_key(schema::kSlotPage);
    if (options.group == GroupBy::Branch) enquire.set_collapse_key(schema::kSlotBranch);

    // Totals people can page with: the estimate is made from at least this
    // many matches (exact below it), whatever the page size.
    const Xapian::doccount check_at_least = static_cast<Xapian::doccount>(
        std::max<std::size_t>(options.offset + options.limit, options.count ? kCheckAtLeast : 0));
    // Hits a page, for facets: a stock spy, which remote shards can run.
    std::optional<Xapian::ValueCountMatchSpy> spy;
    // Every search counts the same way, fallbacks too, so that a total
    // never depends on the page asked for (a most-words search counted
    // only to offset + limit was off by more than 10% for a third of the
    // benchmark's fallback queries, and was no faster).
    auto run = [&](const Xapian::Query& query_to_run) {
      enquire.set_query(im.live(query_to_run));
      enquire.clear_matchspies();
      if (options.facets) enquire.add_matchspy(&spy.emplace(schema::kSlotPage));
      return enquire.get_mset(
          static_cast<Xapian::doccount>(options.offset),
          static_cast<Xapian::doccount>(options.limit),
          (options.facets || options.exact_total) ? im.db.get_doccount() : check_at_least);
    };
    // Nothing found (with --count the page is empty whatever was found).
    auto nothing = [](const Xapian::MSet& m) {
      return m.empty() && m.get_matches_lower_bound() == 0;
    };
    Xapian::MSet mset = run(q);
    std::vector<std::string> steps{"as typed"};
    // What the query that found the hits did.
    bool used_completion = false;
    auto adopt = [&] {
      used_completion = completed;
      res.derived = derived;
      res.optional_words = optional_words;
    };
    if (!nothing(mset)) adopt();
    auto try_step = [&](const std::string& name, const std::string& text) {
      Xapian::Query next;
      try {
        next = build(text);
      } catch (const Error&) {
        return false;
      } catch (const Xapian::QueryParserError&) {
        return false;
      } catch (const Xapian::UnimplementedError&) {
        return false;
      }
      if (next.empty()) return false;
      // A widened search that widens nothing would only repeat the first.
      if (mode.derive && mode.at_least == 0 && !completed && !derived) return false;
      steps.push_back(name);
      Xapian::MSet m = run(next);
      if (nothing(m)) return false;
      mset = m;
      q = next;
      adopt();
      return true;
    };
    if (options.spelling)
      res.corrected =
          correct_spelling(normalized, im, limits.max_corrections,
                           (options.partial || may_complete()) ? last : std::string(), langs);
    if (nothing(mset) && !res.corrected.empty()) {
      if (try_step("corrected", res.corrected)) res.used_correction = true;
    }
    // Widened: the last word completed even if it is a word, and related
    // forms of every word; then headings with most of the words: all but
    // one, all but two, ... (a word counts as held through a completion or
    // a related form too).
    const std::string& base_text = res.used_correction ? res.corrected : normalized;
    const std::size_t words = planned_words;
    if (nothing(mset) && !options.all) {
      if (may_complete()) mode.complete = last;
      mode.derive = true;
      if (words < 2 || options.any) {
        try_step("widened", base_text);
      } else {
        // With several words the related forms and the completion go into
        // the first "most words" search instead of one of their own: a
        // heading holding every word through them ranks first there anyway.
        for (std::size_t m = words; nothing(mset) && m-- > 1;) {
          mode.at_least = m;
          if (!try_step("most words", base_text)) continue;
          const std::set<std::string> have = matching_terms(im, q, *mset.begin());
          std::size_t held = 0;
          for (const auto& terms : word_terms)
            held += std::any_of(terms.begin(), terms.end(),
                                [&](const std::string& t) { return have.count(t) > 0; });
          res.most_words = held < words;
        }
      }
    }
    if (options.partial && !last.empty()) used_completion = !wildcard_fp.stems(last).empty();
    if (used_completion) {
      // The completion the best hit holds, else the most frequent one.
      if (!mset.empty()) {
        const std::set<std::string> have = matching_terms(im, q, *mset.begin());
        res.completed_to = im.best_completion(last, [&](const std::string& word) {
          for (const auto& t : stem_terms({word}, im.analyzer, langs))
            if (have.count(t)) return true;
          return false;
        });
      }
      if (res.completed_to.empty()) res.completed_to = im.best_completion(last);
      if (!res.completed_to.empty()) res.completed_from = last;
    }
    res.steps = steps;
    res.explain = q.get_description();
    res.estimated_total = mset.get_matches_estimated();
    res.total_is_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();

    // Grouped, each group's matches are counted in a run without grouping,
    // as far as matches are counted (all of them with facets or an exact
    // total): Xapian's collapse counts are lower bounds, its totals of
    // groups estimates, and its remote backend returns no collapse counts
    // at all. So up to that many matches a grouped total is the exact
    // number of groups, the same over local and remote shards; beyond, it
    // is Xapian's estimate.
    std::optional<std::map<std::string, Xapian::doccount>> group_sizes;
    if (options.group != GroupBy::None && options.count && !nothing(mset)) {
      Xapian::Enquire all(im.db);
      all.set_query(im.live(q));
      all.set_weighting_scheme(Xapian::BoolWeight());
      Xapian::ValueCountMatchSpy keys(options.group == GroupBy::Page ? schema::kSlotPage
                                                                     : schema::kSlotBranch);
      all.add_matchspy(&keys);
      const Xapian::MSet counted = all.get_mset(
          0, 0, (options.facets || options.exact_total) ? im.db.get_doccount() : check_at_least);
      if (counted.get_matches_lower_bound() == counted.get_matches_upper_bound() &&
          keys.get_total() == counted.get_matches_lower_bound()) {
        group_sizes.emplace();
        for (auto v = keys.values_begin(); v != keys.values_end(); ++v)
          (*group_sizes)[*v] = v.get_termfreq();
        res.estimated_total = group_sizes->size();
        res.total_is_exact = true;
      }
    }
    int rank = static_cast<int>(options.offset);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const schema::PageData* page = nullptr;
      schema::HeadingData d = read_heading(im, *it, page);
      Hit h = heading_hit(std::move(d), page, options.base_url);
      h.rank = ++rank;
      h.score = it.get_weight();
      h.percent = it.get_percent();
      if (options.group != GroupBy::None) {
        h.collapsed = it.get_collapse_count();
        if (group_sizes) {
          const auto n = group_sizes->find(it.get_collapse_key());
          h.collapsed = n == group_sizes->end() || n->second == 0 ? 0 : n->second - 1;
        }
      }
      res.hits.push_back(std::move(h));
    }

    if (options.facets) {
      std::map<std::string, std::size_t> cats, tags, pages;
      for (auto v = spy->values_begin(); v != spy->values_end(); ++v) {
        const std::size_t n = v.get_termfreq();
        const schema::PageData* p = im.page(*v);
        if (!p) continue;
        for (const auto& c : p->categories) cats[c] += n;
        for (const auto& t : p->tags) tags[t] += n;
        pages[p->path] += n;
      }
      auto sorted = [](const std::map<std::string, std::size_t>& m) {
        std::vector<FacetCount> v;
        for (const auto& [k, n] : m) v.push_back({k, n});
        std::stable_sort(v.begin(), v.end(), [](const FacetCount& a, const FacetCount& b) {
          return a.count > b.count;
        });
        return v;
      };
      res.facets["category"] = sorted(cats);
      res.facets["tag"] = sorted(tags);
      res.facets["page"] = sorted(pages);
    }
    return res;
  });
}

}  // namespace

SearchResult Searcher::search(std::string_view query, const SearchOptions& options) {
  Impl& im = *impl_;
  try {
    SearchResult r = run_search(im, query, options);
    r.missing_shards = im.missing;
    return r;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::Remote || !im.remote) throw;
    // A remote shard stopped answering since the index was opened: say
    // which, or leave it out and search again.
    const std::vector<std::string> dead = im.unreachable();
    if (dead.empty()) throw;
    if (!im.options.allow_partial) {
      std::string list;
      for (const auto& d : dead) list += (list.empty() ? "" : "; ") + d;
      throw Error(ErrorCode::Remote, im.path + ": " + list,
                  "start its xapian-tcpsrv, or pass --allow-partial to search the others", im.path);
    }
    reopen();
    SearchResult r = run_search(im, query, options);
    r.missing_shards = im.missing;
    return r;
  }
}

}  // namespace taxon
