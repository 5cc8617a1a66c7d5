// SPDX-License-Identifier: MIT
#ifndef TAXON_ANALYZER_H_
#define TAXON_ANALYZER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "taxon/export.h"

namespace taxon {

/// Turns text into index terms, identically at index time and at query time:
/// NFKC, case folding, diacritic folding (Latin, Greek, Cyrillic), ICU word
/// segmentation (dictionary-based for Chinese, Japanese, Thai...), compound
/// names split into their words (see Compound), Snowball stems. Not
/// thread-safe, and not copyable (it holds ICU break iterators and a cache
/// of stems): construct one Analyzer per thread (the Indexer makes one for
/// each shard's thread).
class TAXON_EXPORT Analyzer {
 public:
  /// `language` is an ISO 639-1 code or a Snowball name ("en", "fr",
  /// "english"); unknown or "none" means no stemming.
  explicit Analyzer(const std::string& language = "en");
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  /// A name written as one token of several words: a CamelCase run of
  /// letters and digits ("ReadingTime", "getHTTPResponse"), or runs joined
  /// by '-', '.' or '_' ("cache-busting", "resources.GetRemote",
  /// "snake_case_name"). Its words are words()[first, first + count);
  /// `joined` is them written as one word ("readingtime"), which the index
  /// holds as well, so the name is found by its words and by the whole.
  /// "resources.GetRemote" is two compounds: the run "getremote" (`run`)
  /// and the whole "resourcesgetremote".
  struct Compound {
    std::size_t first = 0;
    std::size_t count = 0;
    std::string joined;
    bool run = false;
  };

  /// The normalized words of `text`, in order. A compound gives its words
  /// ("ReadingTime" -> reading, time). Words longer than kMaxWordBytes are
  /// dropped (Xapian limits term length).
  std::vector<std::string> words(std::string_view text);

  /// words(), and the compounds among them in `compounds` (replaced), in
  /// order of their first word, a larger one before those it holds.
  std::vector<std::string> words(std::string_view text, std::vector<Compound>& compounds);

  /// `words` with each compound written as its joined form ("cache-busting
  /// tips" -> cachebusting, tips): the largest ones, or, with `runs_only`,
  /// the CamelCase runs ("resources.GetRemote" -> resources, getremote).
  static std::vector<std::string> joined_words(const std::vector<std::string>& words,
                                               const std::vector<Compound>& compounds,
                                               bool runs_only = false);

  /// The stem of a normalized word in the given language ("" = this
  /// analyzer's language). Cached: the reference points into this
  /// Analyzer's cache of stems, which a later stem() call may clear (at
  /// 200,000 words a language), so it is valid until the next stem() call
  /// on this Analyzer (or its destruction). Use it or copy it before then.
  const std::string& stem(const std::string& word, const std::string& language = {});

  /// Normalizes one piece of text the way words() does, without splitting.
  std::string fold(std::string_view text);

  /// The Snowball language name used for `code` ("en" -> "english"), or ""
  /// when there is no stemmer for it.
  static std::string stemmer_language(const std::string& code);

  static constexpr std::size_t kMaxWordBytes = 64;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace taxon

#endif  // TAXON_ANALYZER_H_
