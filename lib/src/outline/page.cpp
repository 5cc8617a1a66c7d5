// SPDX-License-Identifier: MIT
// What taxon/page.h declares besides the parser: a diagnostic as text, a
// heading's breadcrumb and Hugo's heading anchors.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "taxon/page.h"
#include "taxon/printable.h"

namespace taxon {

// The path and the message carry file names and page text: printable()
// keeps their control characters from reaching the terminal.
std::string Diagnostic::to_string() const {
  std::string out = printable(path);
  if (line > 0) out.append(":").append(std::to_string(line));
  out += ": ";
  if (severity == Severity::Warning) out += "warning: ";
  out += printable(message);
  return out;
}

std::vector<std::string> Page::breadcrumb(std::size_t i) const {
  std::vector<std::string> chain;
  for (int k = static_cast<int>(i); k >= 0; k = headings[static_cast<std::size_t>(k)].parent) {
    const Heading& h = headings[static_cast<std::size_t>(k)];
    chain.push_back(h.number.empty() ? h.label : h.number + " " + h.label);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

namespace {

void append_utf8(std::string& out, UChar32 c) {
  std::uint8_t buf[U8_MAX_LENGTH];
  std::int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, static_cast<std::uint32_t>(c));  // c >= 0: a code point
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

}  // namespace

std::string hugo_anchor(std::string_view text, AnchorStyle style) {
  // Hugo's rules (markup/goldmark/autoid.go, read against hugo 0.111's output):
  // Go's unicode.IsLetter / IsDigit / IsNumber / ToLower are ICU's
  // u_isalpha (category L), u_isdigit (Nd), general category N and u_tolower.
  std::string out;
  if (style == AnchorStyle::None) return out;
  std::string nfd;
  if (style == AnchorStyle::GitHubAscii) {
    // Accents come off as combining marks, which are not ASCII and go.
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    if (U_SUCCESS(status)) {
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(
          icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
      icu::UnicodeString d = n->normalize(u, status);
      if (U_SUCCESS(status)) {
        d.toUTF8String(nfd);
        text = nfd;
      }
    }
  }
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  bool dash_due = false;  // blackfriday: a run of other characters since the last letter
  for (std::int32_t i = 0; i < length;) {
    const std::int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;  // a bad byte: Go reads it as U+FFFD, which is dropped
    if (style == AnchorStyle::Blackfriday) {
      if (u_isalpha(c) || (U_GET_GC_MASK(c) & U_GC_N_MASK) != 0) {
        if (dash_due && !out.empty()) out += '-';
        dash_due = false;
        append_utf8(out, u_tolower(c));
      } else {
        dash_due = true;
      }
      continue;
    }
    if (style == AnchorStyle::GitHubAscii && i - start != 1) continue;
    if (c == '-' || c == ' ')
      out += '-';
    else if (c == '_' || u_isalpha(c) || u_isdigit(c))
      append_utf8(out, u_tolower(c));
  }
  return out;
}

}  // namespace taxon
