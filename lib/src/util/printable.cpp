// SPDX-License-Identifier: MIT
#include "taxon/printable.h"

#include <cstdint>

#include "util/text.h"

namespace taxon {
namespace {

const char kHex[] = "0123456789abcdef";

void append_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

void append_code_point(std::string& out, std::uint32_t cp) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
}

bool acts_unseen(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F)
        append_byte(out, c);
      else
        out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = util::decode_utf8(text, i, cp);
    if (len == 0) {
      append_byte(out, c);
      ++i;
    } else {
      if (acts_unseen(cp))
        append_code_point(out, cp);
      else
        out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace taxon
