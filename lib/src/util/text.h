// SPDX-License-Identifier: MIT
// Small byte-level helpers shared by the parser, the analyzer and the index:
// UTF-8 validation, line numbers from byte offsets, trimming, hashing.
#ifndef TAXON_UTIL_TEXT_H_
#define TAXON_UTIL_TEXT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taxon::util {

/// Length of the valid UTF-8 sequence of two to four bytes at `s[i]`, with
/// its code point in `cp`; 0 when the bytes there are not one (ASCII
/// included, overlong forms, surrogates, values past U+10FFFF).
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp);

/// Offset of the first byte that is not part of valid UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view s);

/// Cuts `s` to at most `max` bytes without splitting a character.
std::string_view utf8_prefix(std::string_view s, std::size_t max);

/// Maps byte offsets to 1-based line numbers.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  int line_of(std::size_t offset) const;

 private:
  std::vector<std::size_t> starts_;
};

std::string_view trim(std::string_view s);

/// Collapses runs of whitespace into one space and trims.
std::string squeeze_spaces(std::string_view s);

/// 64-bit FNV-1a: stable across runs and machines (stored in the index).
std::uint64_t fnv1a64(std::string_view s);

/// 16 lower-case hex digits.
std::string hex64(std::uint64_t v);

std::string ascii_lower(std::string_view s);

/// A decimal number that fits 64 bits, digits only; false otherwise.
bool parse_u64(std::string_view s, std::uint64_t& out);

/// Edit distance between two byte strings, a swap of neighbours counting as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace taxon::util

#endif  // TAXON_UTIL_TEXT_H_
