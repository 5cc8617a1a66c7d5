// SPDX-License-Identifier: MIT
// Hugo shortcodes in a page: the tags, {{< name >}} and {{% name %}}, and
// their opening and closing pairs, found so that the parser can blank out
// what Markdown must not see and name the shortcode around a heading.
#ifndef TAXON_OUTLINE_SHORTCODES_H_
#define TAXON_OUTLINE_SHORTCODES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace taxon::outline {

struct Shortcode {
  std::size_t begin = 0;  // offset of "{{"
  std::size_t end = 0;    // offset after "}}"
  std::string name;
  bool closing = false;
  bool self_closing = false;
  bool markdown = false;  // {{% %}}
};

struct Pair {
  std::size_t inner_begin, inner_end;
  std::string name;
  bool map = false;
  bool markdown = false;
};

struct ScanError {
  std::size_t offset;
  std::string message;
};

/// Scans `text` from `from` for shortcode tags. Hugo's comment form
/// {{</* ... */>}} is literal text and is left alone.
std::vector<Shortcode> scan_shortcodes(std::string_view text, std::size_t from);

/// Pairs opening and closing tags. An opening tag without a closing one is
/// a standalone shortcode; a closing tag without an opening one is an error
/// (`err`, and no pairs). Pairs named in `map_names` hold a map.
std::vector<Pair> pair_shortcodes(const std::vector<Shortcode>& tags,
                                  const std::vector<std::string>& map_names, ScanError* err);

/// Spaces over `s` from `begin` to `end`, but its line breaks, so that every
/// offset and line stays where it was.
void blank(std::string& s, std::size_t begin, std::size_t end);

}  // namespace taxon::outline

#endif  // TAXON_OUTLINE_SHORTCODES_H_
