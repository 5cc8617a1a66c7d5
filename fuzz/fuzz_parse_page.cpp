// SPDX-License-Identifier: MIT
// libFuzzer target: any bytes through the page parser, then every heading
// through the Analyzer. Nothing may crash, hang or read out of bounds, and
// the parser's own promises must hold.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "taxon/analyzer.h"
#include "taxon/page.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static taxon::Analyzer analyzer("en");
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  taxon::ParseResult r = taxon::parse_page(bytes, "fuzz.md");
  if (!r.ok) {
    if (r.diagnostics.empty()) __builtin_trap();  // a refused page always says why
    return 0;
  }
  for (std::size_t i = 0; i < r.page.headings.size(); ++i) {
    const auto& h = r.page.headings[i];
    if (h.parent >= static_cast<int>(i)) __builtin_trap();  // parents come first
    if (h.line < 0) __builtin_trap();
    analyzer.words(h.label);
    analyzer.words(h.keywords);
    r.page.breadcrumb(i);
  }
  return 0;
}
