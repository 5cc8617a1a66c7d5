// SPDX-License-Identifier: MIT
// bytes -> Page. The steps, in order: reject what is not UTF-8 text, read
// the front matter, find Hugo shortcodes, blank out what Markdown must not
// see (front matter, shortcode tags, the inside of opaque paired
// shortcodes) while keeping every byte offset, let md4c find the headings,
// then split each heading into number, label and keyword phrase and link
// the headings into a tree. Offsets are kept identical to the input so that
// md4c's text pointers give the source line of each heading.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "outline/front_matter.h"
#include "outline/markdown_headings.h"
#include "outline/shortcodes.h"
#include "taxon/page.h"
#include "util/text.h"

namespace taxon {
namespace {

using outline::blank;
using outline::find_headings;
using outline::Pair;
using outline::pair_shortcodes;
using outline::RawHeading;
using outline::scan_shortcodes;
using outline::ScanError;
using outline::Shortcode;

// "3.2 Label" -> number "3.2"; "1. Label" -> "1."; a bare integer is not a
// section number ("2001 Space Odyssey").
std::size_t section_number_length(std::string_view s) {
  std::size_t i = 0;
  bool dot = false;
  while (i < s.size()) {
    std::size_t d = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == d) break;
    if (i < s.size() && s[i] == '.') {
      dot = true;
      ++i;
    } else {
      break;
    }
  }
  if (!dot || i == 0) return 0;
  if (s[i - 1] != '.' && !(s[i - 1] >= '0' && s[i - 1] <= '9')) return 0;
  if (i < s.size() && s[i] != ' ' && s[i] != '\t') return 0;
  if (i == s.size()) return 0;  // nothing but a number: keep it as the label
  return i;
}

// Offset of a trailing attribute block "{#id .class key=value}", or npos.
std::size_t heading_attributes_start(std::string_view text) {
  if (text.size() < 3 || text.back() != '}') return std::string::npos;
  std::size_t open = text.rfind('{');
  if (open == std::string::npos || open == 0 || (text[open - 1] != ' ' && text[open - 1] != '\t'))
    return std::string::npos;
  std::string_view inside = text.substr(open + 1, text.size() - open - 2);
  inside = util::trim(inside);
  if (inside.empty() || inside.find_first_of("{}") != std::string_view::npos)
    return std::string::npos;
  if (inside[0] != '#' && inside[0] != '.' && inside.find('=') == std::string_view::npos)
    return std::string::npos;
  return open;
}

struct ParseError {
  int line = 0;
  std::string message;
};

void warn(ParseResult& r, int line, std::string msg) {
  r.diagnostics.push_back({Diagnostic::Severity::Warning, r.page.path, line, std::move(msg)});
}

// What is not UTF-8 text: empty, binary (a NUL byte), invalid UTF-8; and a
// page too long for md4c's sizes (MD_SIZE) and the int line numbers.
std::optional<ParseError> check_text(std::string_view bytes) {
  constexpr std::size_t kMaxBytes = std::numeric_limits<std::int32_t>::max();
  if (bytes.size() > kMaxBytes)
    return ParseError{0, "page of " + std::to_string(bytes.size()) +
                             " bytes is over the limit of " + std::to_string(kMaxBytes) + " bytes"};
  if (util::trim(bytes).empty()) return ParseError{0, "empty file"};
  if (auto nul = bytes.find('\0'); nul != std::string_view::npos) {
    util::LineIndex lines(bytes);
    return ParseError{lines.line_of(nul), "binary file (NUL byte)"};
  }
  if (auto bad = util::find_invalid_utf8(bytes); bad != std::string_view::npos) {
    util::LineIndex lines(bytes);
    return ParseError{lines.line_of(bad),
                      "invalid UTF-8 (byte 0x" +
                          util::hex64(static_cast<unsigned char>(bytes[bad])).substr(14) +
                          " at offset " + std::to_string(bad) + ")"};
  }
  return std::nullopt;
}

// Blanks out in `masked` (a copy of the page) what Markdown must not see:
// the front matter (up to `body`), shortcode tags and the inside of opaque
// paired shortcodes. The pairs found go to `pairs`.
std::optional<ParseError> mask(std::string_view bytes, std::size_t body,
                               const ParseOptions& options, const util::LineIndex& lines,
                               std::string& masked, std::vector<Pair>& pairs) {
  blank(masked, 0, body);
  std::vector<Shortcode> tags = scan_shortcodes(bytes, body);
  ScanError scan_err{0, {}};
  pairs = pair_shortcodes(tags, options.map_shortcodes, &scan_err);
  if (!scan_err.message.empty())
    return ParseError{lines.line_of(scan_err.offset), scan_err.message};
  for (const auto& t : tags) blank(masked, t.begin, t.end);
  for (const auto& p : pairs) {
    if (!p.map && !p.markdown) blank(masked, p.inner_begin, p.inner_end);
  }
  return std::nullopt;
}

// Hugo's heading attributes, "## Title {#custom-id .class}": not text; an
// id there is the heading's anchor (`custom_anchor`). Takes them off `text`
// and off `anchor_text` (the heading as written); false when no text is left.
bool strip_attributes(std::string& text, std::string& anchor_text, std::string& custom_anchor) {
  std::size_t open = heading_attributes_start(text);
  if (open == std::string::npos) return true;
  std::string_view attrs = std::string_view(text).substr(open + 1, text.size() - open - 2);
  if (auto hash = attrs.find('#'); hash != std::string_view::npos) {
    std::size_t end = attrs.find_first_of(" \t", hash);
    custom_anchor.assign(attrs.substr(
        hash + 1, end == std::string_view::npos ? std::string_view::npos : end - hash - 1));
  }
  text = std::string(util::trim(std::string_view(text).substr(0, open)));
  if (text.empty()) return false;
  if (std::size_t raw_open = heading_attributes_start(anchor_text); raw_open != std::string::npos)
    anchor_text = std::string(util::trim(std::string_view(anchor_text).substr(0, raw_open)));
  return true;
}

// "3.2 Label; keyword phrase" -> number, label and keywords of `h`.
void split_label(std::string_view text, Heading& h) {
  std::string_view label = text, keywords;
  if (auto semi = text.find(';'); semi != std::string::npos) {
    label = text.substr(0, semi);
    keywords = text.substr(semi + 1);
  }
  label = util::trim(label);
  if (std::size_t n = section_number_length(label); n > 0) {
    h.number.assign(label.substr(0, n));
    label = util::trim(label.substr(n));
  }
  h.label.assign(label);
  h.keywords = util::squeeze_spaces(keywords);
}

// Hugo calls an anchor with nothing left "heading" and numbers repeated
// anchors -1, -2, ...; with automatic anchors off only {#id} gives one.
std::string unique_anchor(std::string anchor, AnchorStyle style, std::set<std::string>& anchors) {
  if (anchor.empty() && style != AnchorStyle::None) anchor = "heading";
  if (!anchor.empty() && anchors.contains(anchor)) {
    for (int k = 1;; ++k) {
      std::string cand = anchor + "-" + std::to_string(k);
      if (!anchors.contains(cand)) {
        anchor = cand;
        break;
      }
    }
  }
  anchors.insert(anchor);
  return anchor;
}

// The name of the innermost paired shortcode around `offset`, or "".
std::string enclosing_shortcode(const std::vector<Pair>& pairs, std::size_t offset) {
  std::size_t best = std::string::npos;
  for (const auto& p : pairs) {
    if (offset != std::string::npos && p.inner_begin <= offset && offset < p.inner_end &&
        (best == std::string::npos || p.inner_begin >= pairs[best].inner_begin)) {
      best = static_cast<std::size_t>(&p - pairs.data());
    }
  }
  return best != std::string::npos ? pairs[best].name : std::string();
}

// The headings md4c found, as the page's headings: text cleaned, too many
// or too long ones cut (with a warning), split into number, label and
// keywords, given unique anchors and their enclosing shortcode.
void add_headings(const std::vector<RawHeading>& found, const std::vector<Pair>& pairs,
                  const util::LineIndex& lines, const ParseOptions& options, ParseResult& r) {
  std::vector<Heading>& out = r.page.headings;
  int last_line = 0;
  std::set<std::string> anchors;
  std::size_t dropped = 0;
  for (const auto& raw : found) {
    int line = raw.offset != std::string::npos ? lines.line_of(raw.offset) : last_line;
    std::string text = util::squeeze_spaces(raw.text);
    if (text.empty()) continue;
    // Hugo makes the anchor from the text as written: two spaces give "--".
    std::string anchor_text(util::trim(raw.text));
    if (out.size() >= options.max_headings) {
      ++dropped;
      continue;
    }
    last_line = line;
    std::string custom_anchor;
    if (!strip_attributes(text, anchor_text, custom_anchor)) continue;
    if (text.size() > options.max_heading_bytes) {
      warn(r, line,
           "heading of " + std::to_string(text.size()) + " bytes cut to " +
               std::to_string(options.max_heading_bytes));
      text = std::string(util::utf8_prefix(text, options.max_heading_bytes));
    }
    Heading h;
    h.level = std::clamp(raw.level, 1, 6);
    h.line = line;
    split_label(text, h);
    if (h.label.empty() && h.keywords.empty() && h.number.empty()) continue;
    h.anchor = unique_anchor(
        custom_anchor.empty() ? hugo_anchor(anchor_text, options.anchors) : custom_anchor,
        options.anchors, anchors);
    h.shortcode = enclosing_shortcode(pairs, raw.offset);
    out.push_back(std::move(h));
  }
  if (dropped > 0) {
    warn(r, 0,
         std::to_string(dropped) + " headings past the limit of " +
             std::to_string(options.max_headings) + " left out");
  }
}

// A page without an H1 hangs its headings under its title.
void hang_under_title(Page& page) {
  std::vector<Heading>& out = page.headings;
  if (page.front.title.empty() ||
      std::any_of(out.begin(), out.end(), [](const Heading& h) { return h.level == 1; }))
    return;
  Heading root;
  root.level = 1;
  root.label = page.front.title;
  root.line = page.front.title_line > 0 ? page.front.title_line : 1;
  root.anchor = "";
  root.from_title = true;
  out.insert(out.begin(), std::move(root));
}

// Parent = nearest preceding heading of a lower level.
void link_parents(std::vector<Heading>& out) {
  std::vector<int> stack;
  for (std::size_t i = 0; i < out.size(); ++i) {
    while (!stack.empty() && out[static_cast<std::size_t>(stack.back())].level >= out[i].level)
      stack.pop_back();
    out[i].parent = stack.empty() ? -1 : stack.back();
    stack.push_back(static_cast<int>(i));
  }
}

}  // namespace

ParseResult parse_page(std::string_view bytes, const std::string& path,
                       const ParseOptions& options) {
  ParseResult r;
  r.page.path = path;
  auto error = [&](ParseError e) {
    r.ok = false;
    r.diagnostics.push_back({Diagnostic::Severity::Error, path, e.line, std::move(e.message)});
    return r;
  };

  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0)
    bytes.remove_prefix(3);
  if (auto e = check_text(bytes)) return error(std::move(*e));

  outline::FrontMatterBlock fm = outline::parse_front_matter(bytes, r.page.front, options);
  if (!fm.ok) return error({fm.error_line, fm.error});

  util::LineIndex lines(bytes);
  std::string masked(bytes);
  std::vector<Pair> pairs;
  if (auto e = mask(bytes, fm.end, options, lines, masked, pairs)) return error(std::move(*e));
  std::vector<RawHeading> found;
  if (!find_headings(masked, found)) return error({0, "Markdown parser failed"});

  add_headings(found, pairs, lines, options, r);
  hang_under_title(r.page);
  link_parents(r.page.headings);
  r.ok = true;
  return r;
}

}  // namespace taxon
