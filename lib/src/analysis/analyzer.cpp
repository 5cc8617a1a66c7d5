// SPDX-License-Identifier: MIT
// Text -> words, the same way for documents and queries. Pure-ASCII text
// takes a fast path whose output is, by construction, what the ICU path
// gives for the same bytes: ICU never breaks inside a run of ASCII letters
// and digits, both paths then split words at anything that is not a letter,
// digit or mark, split CamelCase runs with the same rule (camel_cuts), and
// link runs across the same connectors into compounds (Collector).
// Everything else goes through ICU: NFKC, word boundaries (dictionary-based
// for CJK and Thai), then case folding and removal of combining marks in
// Latin, Greek and Cyrillic words, word by word.
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

namespace {

enum class Case : char { Upper, Lower, Digit, Other };

// Characters that join words into one compound name ("cache-busting",
// "resources.Get", "snake_case_name").
bool is_connector(UChar32 c) { return c == '-' || c == '.' || c == '_'; }

// Where a run of word characters splits into words (offsets into `cases`):
// before an upper-case letter that follows a lower-case letter or a digit
// ("readingTime", "base64Encode"), and before the last of several
// upper-case letters when lower-case letters follow ("HTTPResponse"; one
// is a plural: "APIs"). No word is shorter than two characters, so "IPv6",
// "iOS", "OAuth" and "getX" stay whole. Letters without case (CJK, Thai)
// never split.
std::vector<std::size_t> camel_cuts(const std::vector<Case>& cases) {
  std::vector<std::size_t> cuts;
  const std::size_t n = cases.size();
  std::size_t from = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (cases[i] != Case::Upper) continue;
    const Case before = cases[i - 1];
    const bool cut = before == Case::Lower || before == Case::Digit ||
                     (before == Case::Upper && i + 2 < n && cases[i + 1] == Case::Lower &&
                      cases[i + 2] == Case::Lower);
    if (cut && i - from >= 2 && n - i >= 2) {
      cuts.push_back(i);
      from = i;
    }
  }
  return cuts;
}

// Gathers the words of one text and the compounds among them. A run of
// word characters that splits into several words is a compound; runs that
// follow each other across one connector form a larger one, unless digits
// stand on both sides of it: "3.2" and "2024-01-15" are numbers, not names.
// Both are kept: "resources.GetRemote" joins as "getremote" (how the word
// was written) and as "resourcesgetremote".
struct Collector {
  std::vector<std::string>& out;
  std::vector<Analyzer::Compound>* compounds;
  std::size_t first = 0;  // the current group's first word
  std::size_t at = 0;     // where its compound goes in `compounds`
  std::size_t runs = 0;   // its runs
  bool dropped = false;   // one of its words was too long

  // One run of word characters, as its words.
  void run(bool linked, std::vector<std::string>& words) {
    if (!linked) close_group();
    ++runs;
    const std::size_t start = out.size();
    bool run_dropped = false;
    for (auto& w : words) {
      if (w.empty()) continue;
      if (w.size() > Analyzer::kMaxWordBytes) {
        run_dropped = dropped = true;
        continue;
      }
      out.push_back(std::move(w));
    }
    words.clear();
    if (!run_dropped) add(start, false);
  }

  // Ends the current group; the next run starts a new one.
  void close_group() {
    if (runs >= 2 && !dropped) add(first, true);
    first = out.size();
    at = compounds ? compounds->size() : 0;
    runs = 0;
    dropped = false;
  }

  void add(std::size_t from, bool group) {
    if (!compounds || out.size() - from < 2) return;
    std::string joined;
    for (std::size_t k = from; k < out.size(); ++k) joined += out[k];
    if (joined.size() > Analyzer::kMaxWordBytes) return;
    Analyzer::Compound c{from, out.size() - from, std::move(joined), !group};
    // A group goes before the runs it holds: compounds come in order of
    // their first word, the larger first.
    if (group)
      compounds->insert(compounds->begin() + static_cast<std::ptrdiff_t>(at), std::move(c));
    else
      compounds->push_back(std::move(c));
  }
};

}  // namespace

struct Analyzer::Impl {
  std::string language;  // Snowball name or ""
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc = nullptr;
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

  void split(std::string_view text, Collector& col) const {
    for (char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) return icu_words(text, col);
    }
    ascii_words(text, col);
  }

  static void ascii_words(std::string_view text, Collector& col) {
    auto word_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::vector<Case> cases;
    std::vector<std::string> pieces;
    std::size_t last_end = std::string_view::npos;  // the end of the last run
    for (std::size_t i = 0; i < text.size();) {
      if (!word_char(text[i])) {
        ++i;
        continue;
      }
      const std::size_t start = i;
      while (i < text.size() && word_char(text[i])) ++i;
      const bool linked = last_end != std::string_view::npos && start == last_end + 1 &&
                          is_connector(static_cast<unsigned char>(text[last_end])) &&
                          !(digit(text[last_end - 1]) && digit(text[start]));
      last_end = i;
      cases.clear();
      for (std::size_t k = start; k < i; ++k) {
        const char c = text[k];
        cases.push_back(c >= 'A' && c <= 'Z'   ? Case::Upper
                        : c >= 'a' && c <= 'z' ? Case::Lower
                                               : Case::Digit);
      }
      std::size_t from = start;
      for (std::size_t cut : camel_cuts(cases)) {
        pieces.push_back(ascii_lower(text.substr(from, start + cut - from)));
        from = start + cut;
      }
      pieces.push_back(ascii_lower(text.substr(from, i - from)));
      col.run(linked, pieces);
    }
    col.close_group();
  }

  static std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }

  static bool is_word_char(UChar32 c) {
    const auto mask = U_GET_GC_MASK(c);
    return (mask & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
  }

  // Removes combining marks from Latin/Greek/Cyrillic words ("café" -> "cafe").
  void fold_marks(icu::UnicodeString& w) const {
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

  // One run of word characters (NFKC, case kept): its words, each case
  // folded and without marks.
  // One run of word characters (NFKC, case kept): its words, each case
  // folded and without marks.
  void push_run(const icu::UnicodeString& run, const std::vector<int32_t>& offsets,
                const std::vector<Case>& cases, bool linked, Collector& col) const {
    std::vector<std::string> pieces;
    int32_t from = 0;
    auto push = [&](int32_t to) {
      UErrorCode ec = U_ZERO_ERROR;
      icu::UnicodeString w = nfkc_cf->normalize(run.tempSubString(from, to - from), ec);
      if (U_FAILURE(ec)) w = run.tempSubString(from, to - from);
      fold_marks(w);
      pieces.emplace_back();
      w.toUTF8String(pieces.back());
      from = to;
    };
    for (std::size_t cut : camel_cuts(cases)) push(offsets[cut]);
    push(run.length());
    col.run(linked, pieces);
  }

  void icu_words(std::string_view text, Collector& col) const {
    UErrorCode ec = U_ZERO_ERROR;
    icu::UnicodeString src = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    // NFKC without case folding: the case of letters marks where a
    // CamelCase name splits. Each word is case folded on its own.
    icu::UnicodeString norm = nfkc->normalize(src, ec);
    if (U_FAILURE(ec)) norm = src;
    words->setText(norm);
    icu::UnicodeString run;
    std::vector<int32_t> offsets;  // where each code point of the run starts
    std::vector<Case> cases;
    int32_t last_end = -1;  // the end of the last run
    UChar32 last_char = 0;
    bool linked = false;  // the run follows the last one across a connector
    auto end_run = [&](int32_t at) {
      if (run.isEmpty()) return;
      push_run(run, offsets, cases, linked, col);
      last_char = run.char32At(run.length() - 1);
      last_end = at;
      run.remove();
      offsets.clear();
      cases.clear();
    };
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      if (words->getRuleStatus() == UBRK_WORD_NONE) continue;
      for (int32_t i = start; i < end;) {
        UChar32 c = norm.char32At(i);
        // Folding would remove these (soft hyphen, joiners): they do not
        // split a word.
        if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
          i += U16_LENGTH(c);
          continue;
        }
        if (is_word_char(c)) {
          if (run.isEmpty())
            linked = last_end >= 0 && i == last_end + 1 && is_connector(norm.charAt(last_end)) &&
                     !(u_isdigit(last_char) && u_isdigit(c));
          offsets.push_back(run.length());
          cases.push_back(u_isUUppercase(c)                                    ? Case::Upper
                          : u_isULowercase(c)                                  ? Case::Lower
                          : u_isdigit(c)                                       ? Case::Digit
                          : (U_GET_GC_MASK(c) & U_GC_M_MASK) && !cases.empty() ? cases.back()
                                                                               : Case::Other);
          run.append(c);
        } else {
          end_run(i);
        }
        i += U16_LENGTH(c);
      }
      end_run(end);
    }
    col.close_group();
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
  impl_->nfkc = icu::Normalizer2::getNFKCInstance(ec);
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
  Collector col{out, nullptr};
  impl_->split(text, col);
  return out;
}

std::vector<std::string> Analyzer::words(std::string_view text, std::vector<Compound>& compounds) {
  compounds.clear();
  std::vector<std::string> out;
  Collector col{out, &compounds};
  impl_->split(text, col);
  return out;
}

std::vector<std::string> Analyzer::joined_words(const std::vector<std::string>& words,
                                                const std::vector<Compound>& compounds,
                                                bool runs_only) {
  std::vector<std::string> out;
  std::size_t k = 0;
  for (const Compound& c : compounds) {
    // Compounds come larger first: one inside a joined one is skipped.
    if (c.first < k || (runs_only && !c.run)) continue;
    for (; k < c.first; ++k) out.push_back(words[k]);
    out.push_back(c.joined);
    k = c.first + c.count;
  }
  for (; k < words.size(); ++k) out.push_back(words[k]);
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
