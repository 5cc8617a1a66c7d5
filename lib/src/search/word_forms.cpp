// SPDX-License-Identifier: MIT
// Completions and related forms of query words, from the index's spelling
// table (see word_forms.h).
#include "search/word_forms.h"

#include <algorithm>

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
  std::size_t seen = 0;
  auto it = vocab.spellings_begin();
  it.skip_to(prefix);
  for (; it != vocab.spellings_end() && seen++ < kMaxCompletionsSeen; ++it) {
    const std::string& w = *it;
    if (w.compare(0, prefix.size(), prefix) != 0) break;
    if (w != prefix && it.get_termfreq() > best_freq && (!wanted || wanted(w)))
      best = w, best_freq = it.get_termfreq();
  }
  return best;
}

Completions completions(SearcherState& s, WildcardField& wildcards, const std::string& word,
                        const std::vector<std::string>& have, std::size_t max_expansion,
                        const std::vector<std::string>& langs) {
  const bool known = spelling_frequency(s.vocab, word) > 0;
  const auto more = minus(known ? prefix_stems(s.vocab, s.analyzer, word,
                                               std::min(max_expansion, kMaxRelatedForms), langs)
                                : wildcards.stems(word),
                          have);
  Completions out;
  const std::string best = s.best_completion(word);
  if (!best.empty()) out.first = minus(stem_terms({best}, s.analyzer, langs), have);
  out.rest = minus(more, out.first);
  out.any = !more.empty();
  return out;
}

std::vector<std::string> related_forms(SearcherState& s, const std::vector<std::string>& have,
                                       std::size_t max_expansion,
                                       const std::vector<std::string>& langs) {
  std::vector<std::string> more;
  for (const auto& t : have) {
    const std::string stem = t.substr(schema::kStem.size());
    // Short stems start too many unrelated words ("art": article, artist).
    if (stem.size() < 5) continue;
    for (auto& d :
         prefix_stems(s.vocab, s.analyzer, stem, std::min(max_expansion, kMaxRelatedForms), langs))
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
