// SPDX-License-Identifier: MIT
// Text -> words, the same way for documents and queries. Pure-ASCII text
// takes a fast path whose output is, by construction, what the ICU path
// gives for the same bytes: ICU never breaks inside a run of ASCII letters
// and digits, and both paths then split words at anything that is not a
// letter, digit or mark. Everything else goes through ICU: NFKC case
// folding, word boundaries (dictionary-based for CJK and Thai), and removal
// of combining marks in Latin, Greek and Cyrillic words.
#include "taxon/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <xapian.h>

#include <unordered_map>

#include "taxon/error.h"
#include "util/text.h"

namespace taxon {

struct Analyzer::Impl {
  std::string language;  // Snowball name or ""
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  struct StemCache {
    Xapian::Stem stemmer;
    std::unordered_map<std::string, std::string> cache;
  };
  std::unordered_map<std::string, StemCache> stems;

  StemCache& stem_cache(const std::string& lang) {
    auto it = stems.find(lang);
    if (it != stems.end()) return it->second;
    StemCache sc;
    if (!lang.empty()) sc.stemmer = Xapian::Stem(lang);
    return stems.emplace(lang, std::move(sc)).first->second;
  }

  void ascii_words(std::string_view text, std::vector<std::string>& out) {
    std::string cur;
    auto flush = [&] {
      if (!cur.empty() && cur.size() <= kMaxWordBytes) out.push_back(cur);
      cur.clear();
    };
    for (char c : text) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        cur += c;
      } else if (c >= 'A' && c <= 'Z') {
        cur += static_cast<char>(c - 'A' + 'a');
      } else {
        flush();
      }
    }
    flush();
  }

  static bool is_word_char(UChar32 c) {
    const auto mask = U_GET_GC_MASK(c);
    return (mask & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
  }

  // Removes combining marks from Latin/Greek/Cyrillic words ("café" -> "cafe").
  void fold_marks(icu::UnicodeString& w) {
    bool ascii = true;
    UScriptCode script = USCRIPT_COMMON;
    for (int32_t i = 0; i < w.length();) {
      UChar32 c = w.char32At(i);
      if (c >= 0x80) ascii = false;
      if (script == USCRIPT_COMMON && u_isalpha(c)) {
        UErrorCode ec = U_ZERO_ERROR;
        script = uscript_getScript(c, &ec);
      }
      i += U16_LENGTH(c);
    }
    if (ascii) return;
    if (script != USCRIPT_LATIN && script != USCRIPT_GREEK && script != USCRIPT_CYRILLIC) return;
    UErrorCode ec = U_ZERO_ERROR;
    icu::UnicodeString d = nfd->normalize(w, ec);
    if (U_FAILURE(ec)) return;
    icu::UnicodeString kept;
    for (int32_t i = 0; i < d.length();) {
      UChar32 c = d.char32At(i);
      if (u_charType(c) != U_NON_SPACING_MARK) kept.append(c);
      i += U16_LENGTH(c);
    }
    ec = U_ZERO_ERROR;
    icu::UnicodeString composed = nfc->normalize(kept, ec);
    if (U_SUCCESS(ec)) w = composed;
  }

  void push_word(icu::UnicodeString& w, std::vector<std::string>& out) {
    if (w.isEmpty()) return;
    fold_marks(w);
    std::string utf8;
    w.toUTF8String(utf8);
    if (!utf8.empty() && utf8.size() <= kMaxWordBytes) out.push_back(std::move(utf8));
    w.remove();
  }

  void icu_words(std::string_view text, std::vector<std::string>& out) {
    UErrorCode ec = U_ZERO_ERROR;
    icu::UnicodeString src = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString norm = nfkc_cf->normalize(src, ec);
    if (U_FAILURE(ec)) norm = src;
    words->setText(norm);
    int32_t start = words->first();
    icu::UnicodeString cur;
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      if (words->getRuleStatus() == UBRK_WORD_NONE) continue;
      for (int32_t i = start; i < end;) {
        UChar32 c = norm.char32At(i);
        if (is_word_char(c)) {
          cur.append(c);
        } else {
          push_word(cur, out);
        }
        i += U16_LENGTH(c);
      }
      push_word(cur, out);
    }
  }
};

std::string Analyzer::stemmer_language(const std::string& code) {
  static const std::unordered_map<std::string, std::string> kCodes = {
      {"ar", "arabic"},    {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
      {"da", "danish"},    {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
      {"fr", "french"},    {"de", "german"},    {"hu", "hungarian"},  {"id", "indonesian"},
      {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
      {"no", "norwegian"}, {"nb", "norwegian"}, {"nn", "norwegian"},  {"pt", "portuguese"},
      {"ro", "romanian"},  {"ru", "russian"},   {"es", "spanish"},    {"sv", "swedish"},
      {"ta", "tamil"},     {"tr", "turkish"},
  };
  std::string c = util::ascii_lower(code);
  if (c.empty() || c == "none") return {};
  if (auto it = kCodes.find(c.substr(0, c.find_first_of("-_"))); it != kCodes.end())
    return it->second;
  for (const auto& [k, name] : kCodes) {
    if (name == c) return name;
  }
  return {};
}

Analyzer::Analyzer(const std::string& language) : impl_(std::make_unique<Impl>()) {
  impl_->language = stemmer_language(language);
  UErrorCode ec = U_ZERO_ERROR;
  impl_->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  impl_->nfd = icu::Normalizer2::getNFDInstance(ec);
  impl_->nfc = icu::Normalizer2::getNFCInstance(ec);
  impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
  if (U_FAILURE(ec) || !impl_->words) {
    throw Error(ErrorCode::Internal, std::string("ICU initialisation failed: ") + u_errorName(ec));
  }
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

std::vector<std::string> Analyzer::words(std::string_view text) {
  std::vector<std::string> out;
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii)
    impl_->ascii_words(text, out);
  else
    impl_->icu_words(text, out);
  return out;
}

const std::string& Analyzer::stem(const std::string& word, const std::string& language) {
  const std::string& lang = language.empty() ? impl_->language : language;
  auto& sc = impl_->stem_cache(lang);
  auto it = sc.cache.find(word);
  if (it != sc.cache.end()) return it->second;
  if (sc.cache.size() > 200000) sc.cache.clear();
  // Words starting with a digit are not stemmed (as Xapian's QueryParser does).
  std::string stemmed =
      (lang.empty() || (word[0] >= '0' && word[0] <= '9')) ? word : sc.stemmer(word);
  if (stemmed.empty()) stemmed = word;
  return sc.cache.emplace(word, std::move(stemmed)).first->second;
}

std::string Analyzer::fold(std::string_view text) {
  std::string out;
  for (const auto& w : words(text)) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace taxon
