// SPDX-License-Identifier: MIT
// Completions and related forms of query words, from the index's spelling
// table (see word_forms.h).
#include "search/word_forms.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>
#include <utility>

#include "format/schema.h"
#include "search/vocabulary.h"

namespace taxon::search {
namespace {

// Terms in `more` that are not in `have`.
std::vector<std::string> minus(const std::vector<std::string>& more,
                               const std::vector<std::string>& have) {
  std::vector<std::string> out;
  for (const auto& t : more)
    if (std::find(have.begin(), have.end(), t) == have.end()) out.push_back(t);
  return out;
}

}  // namespace

bool SearcherState::starts_words(const std::string& prefix) const {
  auto it = vocab.spellings_begin();
  it.skip_to(prefix);
  if (it != vocab.spellings_end() && *it == prefix) ++it;
  return it != vocab.spellings_end() && (*it).compare(0, prefix.size(), prefix) == 0;
}

std::string SearcherState::best_completion(
    const std::string& prefix, const std::function<bool(const std::string&)>& wanted) const {
  static constexpr std::size_t kMaxCompletionsSeen = 1000;
  std::string best;
  Xapian::doccount best_freq = 0;
  for_each_word_starting(vocab, prefix, kMaxCompletionsSeen,
                         [&](const std::string& w, Xapian::doccount pages) {
                           if (w != prefix && pages > best_freq && (!wanted || wanted(w)))
                             best = w, best_freq = pages;
                         });
  return best;
}

Completions completions(SearcherState& s, WildcardField& wildcards, const std::string& word,
                        const std::vector<std::string>& have, std::size_t max_expansion,
                        const std::vector<std::string>& langs) {
  const bool known = spelling_frequency(s.vocab, word) > 0;
  const auto more = minus(
      known ? prefix_stems(s.vocab, s.analyzer, word, std::min(max_expansion, kMaxRelatedForms),
                           langs, wildcards.budget())
            : wildcards.stems(word),
      have);
  Completions out;
  const std::string best = s.best_completion(word);
  if (!best.empty()) out.first = minus(stem_terms({best}, s.analyzer, langs), have);
  out.rest = minus(more, out.first);
  out.any = !more.empty();
  return out;
}

bool english_ending(std::string_view rest) {
  // Suffixes as they follow a root in writing, with a root's final e or y
  // left out where English drops it (locat|e, locat|ion).
  static const std::set<std::string_view, std::less<>> kEndings = {
      "",      "e",         "y",     "s",       "es",      "ed",     "d",       "ing",     "er",
      "ers",   "or",        "ors",   "ion",     "ions",    "ation",  "ations",  "ition",   "ive",
      "ively", "ivity",     "ity",   "ities",   "ety",     "ies",    "ied",     "ier",     "iest",
      "ily",   "iness",     "ic",    "ics",     "ical",    "ically", "al",      "ally",    "ial",
      "ian",   "an",        "ous",   "ious",    "eous",    "ness",   "ment",    "ments",   "ant",
      "ants",  "ance",      "ancy",  "ent",     "ence",    "ency",   "ist",     "ists",    "ism",
      "ize",   "ized",      "izing", "ization", "ise",     "ised",   "ising",   "isation", "ify",
      "ified", "ification", "able",  "ably",    "ability", "ible",   "ibility", "ility",   "le",
      "ful",   "ly",        "ate",   "ated",    "ating",   "ese",    "ine",     "ure",     "ary",
      "ery",   "ory",       "atic"};
  if (kEndings.contains(rest)) return true;
  static constexpr std::string_view kAlternating = "cdfstv";
  return !rest.empty() && kAlternating.find(rest[0]) != std::string_view::npos &&
         kEndings.contains(rest.substr(1));
}

namespace {

constexpr std::size_t kMinRoot = 5;
constexpr std::size_t kMinBareRoot = 4;  // when one word is the root, or the root and e or y
// Vocabulary words looked at for one word's derivations, at most.
constexpr std::size_t kMaxDerivationsSeen = 2000;

bool ascii_word(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool bare(std::string_view rest) { return rest.empty() || rest == "e" || rest == "y"; }

// Whether a and b go on with English endings from a root of `root` letters.
bool derived_at(std::string_view a, std::string_view b, std::size_t root) {
  const std::string_view ra = a.substr(root), rb = b.substr(root);
  if (root < kMinRoot && !(root >= kMinBareRoot && (bare(ra) || bare(rb)))) return false;
  return english_ending(ra) && english_ending(rb);
}

// Whether a and b share a root that both go on from with English endings.
bool derived(std::string_view a, std::string_view b) {
  std::size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common]) ++common;
  for (std::size_t root = common; root >= kMinBareRoot; --root)
    if (derived_at(a, b, root)) return true;
  return false;
}

}  // namespace

std::vector<std::string> english_derivations(const Xapian::Database& vocab, const std::string& word,
                                             std::size_t limit) {
  if (!ascii_word(word) || word.size() < kMinBareRoot) return {};
  // The shortest root `word` may have: every derivation starts with it.
  std::size_t shortest = kMinBareRoot;
  while (!english_ending(std::string_view(word).substr(shortest))) ++shortest;
  const std::string root = word.substr(0, shortest);
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for_each_word_starting(vocab, root, kMaxDerivationsSeen,
                         [&](const std::string& w, Xapian::doccount pages) {
                           if (w != word && ascii_word(w) && derived(word, w))
                             found.emplace_back(pages, w);
                         });
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (found.size() > limit) found.resize(limit);
  std::vector<std::string> out;
  out.reserve(found.size());
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::vector<std::string> related_forms(SearcherState& s, const std::string& word,
                                       const std::vector<std::string>& have,
                                       std::size_t max_expansion,
                                       const std::vector<std::string>& langs) {
  const std::size_t limit = std::min(max_expansion, kMaxRelatedForms);
  std::vector<std::string> more;
  for (const auto& t : have) {
    const std::string stem = t.substr(schema::kStem.size());
    if (stem.size() < kMinRoot) continue;
    for (auto& d : prefix_stems(s.vocab, s.analyzer, stem, limit, langs))
      more.push_back(std::move(d));
  }
  if (std::find(langs.begin(), langs.end(), "english") != langs.end()) {
    for (auto& d : stem_terms(english_derivations(s.vocab, word, limit), s.analyzer, langs))
      more.push_back(std::move(d));
  }
  std::sort(more.begin(), more.end());
  more.erase(std::unique(more.begin(), more.end()), more.end());
  return minus(more, have);
}

std::string completion_to_report(SearcherState& s, const std::string& last,
                                 const std::set<std::string>* held,
                                 const std::vector<std::string>& langs) {
  std::string out;
  if (held) {
    out = s.best_completion(last, [&](const std::string& word) {
      const std::vector<std::string> terms = stem_terms({word}, s.analyzer, langs);
      return std::any_of(terms.begin(), terms.end(),
                         [&](const std::string& t) { return held->contains(t); });
    });
  }
  if (out.empty()) out = s.best_completion(last);
  return out;
}

}  // namespace taxon::search
