// SPDX-License-Identifier: MIT
#ifndef TAXON_PAGE_H_
#define TAXON_PAGE_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "taxon/export.h"

namespace taxon {

/// One heading of a page: a topic. `parent` is the index of the enclosing
/// heading in Page::headings, or -1 for a root.
struct Heading {
  int level = 1;            ///< 1..6
  std::string number;       ///< section number as written ("3.", "3.2"), or empty
  std::string label;        ///< heading text before the first ';', number removed
  std::string keywords;     ///< text after the first ';', or empty
  std::string anchor;       ///< Hugo's default (GitHub-style) anchor of the heading text
  std::string shortcode;    ///< name of the enclosing paired shortcode, or empty
  int line = 0;             ///< 1-based source line
  int parent = -1;          ///< index into Page::headings, -1 for a root
  bool from_title = false;  ///< synthesized from the front-matter title (page has no H1)
};

/// Front matter, with the keys taxon uses taken out and every other scalar
/// kept as text in `params`.
struct FrontMatter {
  std::string title;
  std::vector<std::string> categories;
  std::vector<std::string> tags;
  std::string date;
  std::string lang;  ///< empty: not given
  std::string slug;
  std::string url;
  bool draft = false;
  long weight = 0;
  std::map<std::string, std::string> params;
  int title_line = 0;  ///< line of the title key, 0 if none
};

/// A parsed page: its front matter and its headings in document order.
struct TAXON_EXPORT Page {
  std::string path;  ///< as given to parse_page()
  FrontMatter front;
  std::vector<Heading> headings;

  /// Labels from the root down to heading `i` (inclusive), each with its
  /// number in front when it has one: "3.2 Security Interests".
  std::vector<std::string> breadcrumb(std::size_t i) const;
};

/// A problem found in a page. An error means the page is not indexed; a
/// warning means it is indexed with the problem worked around.
struct TAXON_EXPORT Diagnostic {
  enum class Severity { Warning, Error };
  Severity severity = Severity::Error;
  std::string path;
  int line = 0;  ///< 1-based, 0 when it is about the whole file
  std::string message;

  /// "path:line: message", the form every program prints, with control
  /// characters in the path and the message escaped (see printable()).
  std::string to_string() const;
};

/// How Hugo makes a heading's anchor (its goldmark `autoHeadingIDType`).
enum class AnchorStyle {
  GitHub,       ///< "github", Hugo's default: letters and digits of any script, lower-cased
  GitHubAscii,  ///< "github-ascii": accents taken off, other non-ASCII characters dropped
  Blackfriday,  ///< "blackfriday": runs of other characters become one '-'
  None          ///< `autoHeadingID = false`: only `{#id}` attributes give anchors
};

/// How pages are read.
struct ParseOptions {
  /// Paired shortcodes whose inner text is a map (Markdown headings).
  std::vector<std::string> map_shortcodes{"jsvis-map1"};
  /// Headings longer than this (bytes) are cut at a character boundary, with a warning.
  std::size_t max_heading_bytes = 4096;
  /// Pages with more headings than this keep the first ones, with a warning.
  std::size_t max_headings = 100000;

  // Front matter is data a page's author controls, and a few hundred bytes of
  // nested YAML aliases expand to billions of values. Past any of these
  // limits the page is refused with one error "front matter ...". Hugo front
  // matter is a few kilobytes with a few dozen values, far below them.

  /// Largest front matter (bytes between the delimiters, or of the JSON
  /// object); also the most text its strings and keys may hold together
  /// once YAML aliases are expanded (an alias counts each time it is used).
  std::size_t max_front_matter_bytes = 1u << 20;
  /// Most values (strings, numbers, lists, tables...) front matter may hold,
  /// a YAML alias counting with everything below it each time it is used.
  std::size_t max_front_matter_values = 100000;
  /// Deepest nesting of lists and tables in front matter.
  int max_front_matter_depth = 64;
  /// Anchors of headings without an `{#id}` attribute.
  AnchorStyle anchors = AnchorStyle::GitHub;
};

/// Result of parsing one page. When `ok` is false the page must not be
/// indexed and `diagnostics` holds at least one error.
struct ParseResult {
  bool ok = false;
  Page page;
  std::vector<Diagnostic> diagnostics;
};

/// Parses a Markdown page (front matter in YAML, TOML or JSON, then Markdown).
/// `path` is only used in the page and in diagnostics. Never throws for bad
/// input: problems come back as diagnostics. Thread-safe.
TAXON_EXPORT ParseResult parse_page(std::string_view bytes, const std::string& path,
                                    const ParseOptions& options = {});

/// The anchor Hugo gives a heading's text, before a repeated anchor of the
/// page is numbered ("-1", "-2") and before an empty one becomes "heading".
/// GitHub: letters and digits of any script lower-cased, '_' kept, each
/// space and '-' a '-', everything else (punctuation, symbols, emoji, tabs)
/// left out. Text that is not UTF-8 loses its bad bytes.
TAXON_EXPORT std::string hugo_anchor(std::string_view heading_text,
                                     AnchorStyle style = AnchorStyle::GitHub);

}  // namespace taxon

#endif  // TAXON_PAGE_H_
