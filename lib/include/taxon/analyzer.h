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
/// segmentation (dictionary-based for Chinese, Japanese, Thai...), Snowball
/// stems. Not thread-safe: give each thread its own Analyzer (cheap to copy
/// through clone()).
class TAXON_EXPORT Analyzer {
 public:
  /// `language` is an ISO 639-1 code or a Snowball name ("en", "fr",
  /// "english"); unknown or "none" means no stemming.
  explicit Analyzer(const std::string& language = "en");
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  /// The normalized words of `text`, in order. Words longer than
  /// kMaxWordBytes are dropped (Xapian limits term length).
  std::vector<std::string> words(std::string_view text);

  /// The stem of a normalized word in the given language ("" = this
  /// analyzer's language). Cached.
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
