// SPDX-License-Identifier: MIT
// Spelling correction of a query, and the spelling table's answers it rests
// on: the suggestion for a word over several shards, and a word read as two
// written together.
#include "search/spelling.h"

#include <algorithm>

#include "search/query_text.h"
#include "search/vocabulary.h"
#include "util/text.h"

namespace taxon::search {

std::string SearcherState::spelling_suggestion(const std::string& word) {
  if (vocab_shards.size() == 1) return vocab_shards[0].get_spelling_suggestion(word);
  std::string best;
  std::size_t best_distance = 0;
  Xapian::doccount best_freq = 0;
  std::vector<std::string> candidates{vocab.get_spelling_suggestion(word)};
  for (auto& shard : vocab_shards) candidates.push_back(shard.get_spelling_suggestion(word));
  for (const std::string& s : candidates) {
    if (s.empty()) continue;
    const std::size_t d = util::edit_distance(word, s);
    const Xapian::doccount f = spelling_frequency(vocab, s);
    if (best.empty() || d < best_distance ||
        (d == best_distance && (f > best_freq || (f == best_freq && s < best)))) {
      best = s;
      best_distance = d;
      best_freq = f;
    }
  }
  return best;
}

std::pair<std::string, std::string> SearcherState::split_in_two(const std::string& word) const {
  std::pair<std::string, std::string> best;
  Xapian::doccount best_freq = 0;
  // Halves of three bytes or more: shorter ones ("a", "to") split almost anything.
  for (std::size_t i = 3; i + 3 <= word.size(); ++i) {
    if ((static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) continue;  // inside a character
    const std::string a = word.substr(0, i), b = word.substr(i);
    const Xapian::doccount f = std::min(spelling_frequency(vocab, a), spelling_frequency(vocab, b));
    if (f > best_freq) best = {a, b}, best_freq = f;
  }
  return best;
}

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
        const std::vector<std::string> terms = stem_terms({word}, state.analyzer, langs);
        return std::any_of(terms.begin(), terms.end(),
                           [&state](const std::string& t) { return state.db.term_exists(t); });
      };
      if (!search::is_operator(word) && !completing && asked < max_asked &&
          spelling_frequency(state.vocab, word) == 0 && !stem_known()) {
        ++asked;
        const std::string suggestion = state.spelling_suggestion(word);
        if (!suggestion.empty() && suggestion != word) {
          std::string fixed_token = token.substr(0, a);
          fixed_token.append(suggestion).append(token.substr(b + 1));
          token = std::move(fixed_token);
          changed = true;
        }
      }
    }
    if (!fixed.empty()) fixed += ' ';
    fixed += token;
  }
  return changed ? fixed : std::string();
}

}  // namespace taxon::search
