// SPDX-License-Identifier: MIT
#ifndef TAXON_PRINTABLE_H_
#define TAXON_PRINTABLE_H_

#include <string>
#include <string_view>

#include "taxon/export.h"

namespace taxon {

/// `text` made safe to print on a terminal. Page text and file names come
/// from whoever wrote the pages, and an escape sequence in them would clear
/// the screen, set the window title or reorder what is shown. So every
/// character that is not shown but acts is written out visibly:
/// C0 controls (tab and newline included) and DEL as `\x1b`, C1 controls
/// (U+0080..U+009F) and the bidirectional embeddings, overrides and
/// isolates (U+202A..U+202E, U+2066..U+2069) as `\u009b`, `\u202e`, and each
/// byte that is not part of valid UTF-8 as `\xff`. Everything else, a
/// backslash included, stays as it is, so the result is for reading, not
/// for turning back into the original (JSON output keeps that exactly).
TAXON_EXPORT std::string printable(std::string_view text);

}  // namespace taxon

#endif  // TAXON_PRINTABLE_H_
