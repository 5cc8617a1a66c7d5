// SPDX-License-Identifier: MIT
// The planner (see planner.h): each word into its stems and, as the match
// mode asks, its completions and related forms; phrases and NEAR into their
// words plus a stored-text check; stop words made optional; the top AND
// into "at least m of the words".
#include "search/planner.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "search/checks.h"
#include "search/vocabulary.h"
#include "search/word_forms.h"

namespace taxon::search {
namespace {

// A completion counts for less than the word typed whole, a related form
// (economy for economic) for less still.
constexpr double kCompletionWeight = 0.8;
constexpr double kDerivedWeight = 0.5;
// A term both a completion and a related form is kept where it weighs more
// (Planner::word): the first completion over a related form, a related
// form over the other completions.
static_assert(kCompletionWeight / 2 <= kDerivedWeight && kDerivedWeight <= kCompletionWeight);
// With most words, at most this many combinations of the words, each
// matched as an AND (cheap: the rarest word leads); beyond, any of them.
constexpr std::size_t kMaxCombinations = 64;
// Any one of the words is matched as such while the words' postings add up
// to no more than this; beyond, the rarest word leads and the others add
// weight, since an OR walks every posting of every word (at 1M headings a
// common word has tens of thousands).
constexpr Xapian::doccount kMaxAnyWordPostings = 20000;

bool plain(const Xapian::Query& q) {
  if (q.get_type() != Xapian::Query::LEAF_TERM) return false;
  const std::string t = *q.get_terms_begin();
  return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z');
}

Xapian::Query any_of(const std::vector<std::string>& terms, Xapian::Query::op op) {
  if (terms.size() == 1) return Xapian::Query(terms[0]);
  return Xapian::Query(op, terms.begin(), terms.end());
}

}  // namespace

std::vector<std::string> Planner::group(const std::string& word) const {
  return stem_terms({word}, s_.analyzer, langs_);
}

bool Planner::any_exists(const std::vector<std::string>& terms) const {
  return std::any_of(terms.begin(), terms.end(),
                     [this](const std::string& t) { return s_.db.term_exists(t); });
}

Xapian::Query Planner::word(const std::string& w) {
  const std::vector<std::string> g = group(w);
  if (g.empty()) return Xapian::Query::MatchNothing;
  Xapian::Query base = any_of(g, Xapian::Query::OP_SYNONYM);
  std::vector<Xapian::Query> parts{base};
  // A word's completions and its related forms may share terms (the last
  // word of a widened step is both completed and derived): each term is
  // matched once, at the most it counts for, as one more leaf would both
  // count it twice and open its posting lists again.
  Completions c;
  if (!mode_.complete.empty() && w == mode_.complete) {
    c = completions(s_, wildcards_, w, g, max_expansion_, langs_);
    completed = c.any;
  }
  std::vector<std::string> more;
  if (mode_.derive) {
    auto known = related_.find(w);
    if (known == related_.end())
      known = related_.emplace(w, related_forms(s_, w, g, max_expansion_, langs_)).first;
    for (const auto& t : known->second)
      if (std::find(c.first.begin(), c.first.end(), t) == c.first.end()) more.push_back(t);
    std::erase_if(c.rest, [&](const std::string& t) {
      return std::find(more.begin(), more.end(), t) != more.end();
    });
  }
  // The most frequent completion is the one reported ("shortc ->
  // shortcode") and counts as such; the others count for half.
  if (!c.first.empty())
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(c.first, Xapian::Query::OP_SYNONYM),
                       kCompletionWeight);
  if (!c.rest.empty())
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(c.rest, Xapian::Query::OP_SYNONYM),
                       kCompletionWeight / 2);
  // A word the index does not hold may be two it does, written together.
  if (!any_exists(g) && spelling_frequency(s_.vocab, w) == 0) {
    const auto [a, b] = s_.split_in_two(w);
    if (!a.empty()) parts.push_back(phrase({a, b}, 2, true));
  }
  if (!more.empty()) {
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(more, Xapian::Query::OP_SYNONYM),
                       kDerivedWeight);
    derived = true;
  }
  return parts.size() == 1 ? base : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query Planner::phrase(const std::vector<std::string>& words, std::size_t window,
                              bool ordered) {
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

// Headings with at least `m` of `subs`: any combination of `m` of them, as
// ANDs (an AND is led by its rarest word, so each is cheap); for one word,
// the rarest word, the others adding weight. An OR of frequent words would
// walk all their postings.
Xapian::Query Planner::at_least(const std::vector<Xapian::Query>& subs, std::size_t m) const {
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
  // Past so many combinations, any of the words.
  double combinations = 1;
  for (std::size_t i = 0; i < m; ++i)
    combinations = combinations * static_cast<double>(k - i) / static_cast<double>(i + 1);
  if (combinations > static_cast<double>(kMaxCombinations))
    return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
  return some_of(subs, 0, m);
}

// At least `m` of subs[from..]: the first and m - 1 of the others, or m of
// the others. The same headings as one AND for each combination of m, with
// each word's posting lists opened fewer times (5 for 2 of 3 words, not 6;
// 9 for 3 of 4, not 12); a heading with exactly m of the words, as the
// steps before leave, weighs the sum of its words either way.
Xapian::Query Planner::some_of(const std::vector<Xapian::Query>& subs, std::size_t from,
                               std::size_t m) {
  const auto begin = subs.begin() + static_cast<std::ptrdiff_t>(from);
  if (m == subs.size() - from) return Xapian::Query(Xapian::Query::OP_AND, begin, subs.end());
  if (m == 1) return Xapian::Query(Xapian::Query::OP_OR, begin, subs.end());
  return Xapian::Query(
      Xapian::Query::OP_OR,
      Xapian::Query(Xapian::Query::OP_AND, subs[from], some_of(subs, from + 1, m - 1)),
      some_of(subs, from + 1, m));
}

Xapian::Query Planner::node(const Xapian::Query& q, bool target) {
  const auto op = q.get_type();
  if (op == Xapian::Query::LEAF_TERM) return leaf(q);
  if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) return window(q);
  switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return compound(q, target);
    default:
      return q;  // leaves, and nodes the parser does not put words under
  }
}

Xapian::Query Planner::leaf(const Xapian::Query& q) {
  if (!plain(q)) return q;
  const std::string t = *q.get_terms_begin();
  if (t.find(' ') != std::string::npos) {  // a synonym that is a phrase
    const auto words = s_.analyzer.words(t);
    return phrase(words, words.size(), true);
  }
  return word(t);
}

Xapian::Query Planner::window(const Xapian::Query& q) {
  const auto op = q.get_type();
  const std::size_t n = q.get_num_subqueries();
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

Xapian::Query Planner::compound(const Xapian::Query& q, bool target) {
  const auto op = q.get_type();
  const std::size_t n = q.get_num_subqueries();
  const bool is_and = op == Xapian::Query::OP_AND;
  const bool passes_target = op == Xapian::Query::OP_FILTER || op == Xapian::Query::OP_AND_MAYBE ||
                             op == Xapian::Query::OP_AND_NOT;
  std::vector<Xapian::Query> subs, stops;
  for (std::size_t i = 0; i < n; ++i) {
    const Xapian::Query sub = q.get_subquery(i);
    if (is_and && mode_.stop_optional && plain(sub) && stops_.contains(*sub.get_terms_begin())) {
      stops.push_back(sub);
      continue;
    }
    subs.push_back(node(sub, target && passes_target && i == 0));
  }
  if (is_and && !stops.empty()) {
    if (subs.empty()) {  // nothing but stop words: they are the query
      for (const auto& sq : stops) subs.push_back(node(sq, false));
      stops.clear();
    } else {
      for (const auto& sq : stops) optional.push_back(*sq.get_terms_begin());
    }
  }
  if (is_and && target) {
    top_words = subs.size();
    if (mode_.at_least > 0) {
      word_terms.clear();
      for (const auto& sub : subs)
        word_terms.emplace_back(sub.get_terms_begin(), sub.get_terms_end());
    }
  }
  Xapian::Query out;
  if (is_and && target && mode_.at_least > 0 && mode_.at_least < subs.size()) {
    out = at_least(subs, mode_.at_least);
  } else if (op == Xapian::Query::OP_SYNONYM) {
    out = synonym(subs);
  } else {
    out = subs.size() == 1 && (is_and || op == Xapian::Query::OP_OR)
              ? subs[0]
              : Xapian::Query(op, subs.begin(), subs.end());
  }
  if (stops.empty()) return out;
  std::vector<Xapian::Query> extra;
  extra.reserve(stops.size());
  for (const auto& sq : stops) extra.push_back(node(sq, false));
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, out,
                       Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
}

// Terms, and words that became synonyms of their stems, stay one synonym;
// a phrase check (a synonym that is a phrase) cannot be weighed as a term,
// so then the group is an OR.
Xapian::Query Planner::synonym(const std::vector<Xapian::Query>& subs) {
  std::vector<std::string> terms;
  for (const auto& sub : subs) {
    if (sub.get_type() == Xapian::Query::LEAF_TERM) {
      terms.push_back(*sub.get_terms_begin());
      continue;
    }
    bool flat = sub.get_type() == Xapian::Query::OP_SYNONYM;
    for (std::size_t k = 0; flat && k < sub.get_num_subqueries(); ++k)
      flat = sub.get_subquery(k).get_type() == Xapian::Query::LEAF_TERM;
    if (!flat) return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    for (auto t = sub.get_terms_begin(); t != sub.get_terms_end(); ++t) terms.push_back(*t);
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return any_of(terms, Xapian::Query::OP_SYNONYM);
}

}  // namespace taxon::search
