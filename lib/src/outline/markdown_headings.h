// SPDX-License-Identifier: MIT
// The headings md4c finds in a page's Markdown, their text as it reads
// (entities decoded, inline HTML left out) and where each starts.
#ifndef TAXON_OUTLINE_MARKDOWN_HEADINGS_H_
#define TAXON_OUTLINE_MARKDOWN_HEADINGS_H_

#include <cstddef>
#include <string>
#include <vector>

namespace taxon::outline {

struct RawHeading {
  int level;
  std::string text;
  std::size_t offset;  // first text byte in the input, or npos
};

/// The headings md4c finds in `masked` (the page with what Markdown must
/// not see blanked out); false when md4c fails.
bool find_headings(const std::string& masked, std::vector<RawHeading>& headings);

}  // namespace taxon::outline

#endif  // TAXON_OUTLINE_MARKDOWN_HEADINGS_H_
