// SPDX-License-Identifier: MIT
// bytes -> Page. The steps, in order: reject what is not UTF-8 text, read
// the front matter, find Hugo shortcodes, blank out what Markdown must not
// see (front matter, shortcode tags, the inside of opaque paired
// shortcodes) while keeping every byte offset, let md4c find the headings,
// then split each heading into number, label and keyword phrase and link
// the headings into a tree. Offsets are kept identical to the input so that
// md4c's text pointers give the source line of each heading.
#include <md4c.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "outline/front_matter.h"
#include "taxon/page.h"
#include "taxon/printable.h"
#include "util/text.h"

namespace taxon {
namespace {

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

// Scans `text` from `from` for shortcode tags. Hugo's comment form
// {{</* ... */>}} is literal text and is left alone.
std::vector<Shortcode> scan_shortcodes(std::string_view text, std::size_t from) {
  std::vector<Shortcode> out;
  std::size_t pos = from;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    if (pos + 2 >= text.size()) break;
    char kind = text[pos + 2];
    if (kind != '<' && kind != '%') {
      pos += 2;
      continue;
    }
    std::size_t p = pos + 3;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    if (p < text.size() && text[p] == '/' && p + 1 < text.size() && text[p + 1] == '*') {
      // Comment: skip to "*/" + closing.
      std::size_t close = text.find(std::string("*/") + (kind == '<' ? '>' : '%') + "}}", p);
      pos = close == std::string_view::npos ? text.size() : close + 4;
      continue;
    }
    const char end_char = kind == '<' ? '>' : '%';
    Shortcode sc;
    sc.begin = pos;
    sc.markdown = kind == '%';
    if (p < text.size() && text[p] == '/') {
      sc.closing = true;
      ++p;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    }
    std::size_t name_start = p;
    while (p < text.size() && text[p] != ' ' && text[p] != '\t' && text[p] != '\n' &&
           text[p] != '\r' && text[p] != end_char && text[p] != '/' && text[p] != '}' &&
           text[p] != '"')
      ++p;
    sc.name.assign(text.substr(name_start, p - name_start));
    // Find the end, skipping quoted arguments.
    const char closer[3] = {end_char, '}', '}'};
    bool found = false;
    char quote = 0;
    for (; p < text.size(); ++p) {
      char c = text[p];
      if (quote) {
        if (c == '\\' && quote == '"')
          ++p;
        else if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '"' || c == '`') {
        quote = c;
        continue;
      }
      if (c == '\n' && sc.name.empty()) break;
      if (text.compare(p, 3, std::string_view(closer, 3)) == 0) {
        found = true;
        break;
      }
    }
    if (!found || sc.name.empty()) {
      pos += 2;
      continue;
    }
    std::size_t q = p;
    while (q > sc.begin && (text[q - 1] == ' ' || text[q - 1] == '\t')) --q;
    sc.self_closing = q > sc.begin && text[q - 1] == '/';
    sc.end = p + 3;
    out.push_back(std::move(sc));
    pos = p + 3;
  }
  return out;
}

// Pairs opening and closing tags. An opening tag without a closing one is a
// standalone shortcode; a closing tag without an opening one is an error.
std::vector<Pair> pair_shortcodes(const std::vector<Shortcode>& tags,
                                  const std::vector<std::string>& map_names, ScanError* err) {
  std::vector<Pair> pairs;
  std::vector<const Shortcode*> stack;
  for (const auto& t : tags) {
    if (t.self_closing) continue;
    if (!t.closing) {
      stack.push_back(&t);
      continue;
    }
    auto it = std::find_if(stack.rbegin(), stack.rend(),
                           [&](const Shortcode* s) { return s->name == t.name; });
    if (it == stack.rend()) {
      *err = {t.begin, "closing shortcode '" + t.name + "' has no opening '" + t.name + "'"};
      return {};
    }
    const Shortcode* open = *it;
    stack.erase(std::next(it).base(), stack.end());
    Pair p;
    p.inner_begin = open->end;
    p.inner_end = t.begin;
    p.name = open->name;
    p.markdown = open->markdown;
    p.map = std::find(map_names.begin(), map_names.end(), open->name) != map_names.end();
    pairs.push_back(std::move(p));
  }
  return pairs;
}

void blank(std::string& s, std::size_t begin, std::size_t end) {
  end = std::min(end, s.size());
  for (std::size_t i = begin; i < end; ++i) {
    if (s[i] != '\n' && s[i] != '\r') s[i] = ' ';
  }
}

struct RawHeading {
  int level;
  std::string text;
  std::size_t offset;  // first text byte in the input, or npos
};

struct Md4cState {
  const char* base;
  std::size_t size;
  std::vector<RawHeading> headings;
  bool in_heading = false;
  int image_depth = 0;
};

void append_entity(std::string& out, std::string_view e) {
  if (e == "&amp;")
    out += '&';
  else if (e == "&lt;")
    out += '<';
  else if (e == "&gt;")
    out += '>';
  else if (e == "&quot;")
    out += '"';
  else if (e == "&apos;")
    out += '\'';
  else if (e == "&nbsp;")
    out += ' ';
  else if (e.size() > 3 && e[1] == '#') {
    unsigned long cp = (e[2] == 'x' || e[2] == 'X')
                           ? std::strtoul(std::string(e.substr(3)).c_str(), nullptr, 16)
                           : std::strtoul(std::string(e.substr(2)).c_str(), nullptr, 10);
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  } else {
    out.append(e);  // unknown named entity: keep as written
  }
}

int on_enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto* st = static_cast<Md4cState*>(userdata);
  if (type == MD_BLOCK_H) {
    st->in_heading = true;
    st->headings.push_back(
        {static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level), {}, std::string::npos});
  }
  return 0;
}

int on_leave_block(MD_BLOCKTYPE type, void*, void* userdata) {
  if (type == MD_BLOCK_H) static_cast<Md4cState*>(userdata)->in_heading = false;
  return 0;
}

int on_enter_span(MD_SPANTYPE, void*, void*) { return 0; }
int on_leave_span(MD_SPANTYPE, void*, void*) { return 0; }

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
  auto* st = static_cast<Md4cState*>(userdata);
  if (!st->in_heading) return 0;
  RawHeading& h = st->headings.back();
  if (h.offset == std::string::npos && text >= st->base && text < st->base + st->size) {
    h.offset = static_cast<std::size_t>(text - st->base);
  }
  std::string_view t(text, size);
  switch (type) {
    case MD_TEXT_NULLCHAR:
      h.text += "\xEF\xBF\xBD";
      break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
      h.text += ' ';
      break;
    case MD_TEXT_ENTITY:
      append_entity(h.text, t);
      break;
    case MD_TEXT_HTML:
      break;  // inline tags are markup, not text
    default:
      h.text.append(t);
      break;
  }
  return 0;
}

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

}  // namespace

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
  U8_APPEND_UNSAFE(buf, n, c);
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

namespace {

struct ParseError {
  int line = 0;
  std::string message;
};

void warn(ParseResult& r, int line, std::string msg) {
  r.diagnostics.push_back({Diagnostic::Severity::Warning, r.page.path, line, std::move(msg)});
}

// What is not UTF-8 text: empty, binary (a NUL byte), invalid UTF-8.
std::optional<ParseError> check_text(std::string_view bytes) {
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

// The headings md4c finds in the masked text; false when md4c fails.
bool find_headings(const std::string& masked, std::vector<RawHeading>& headings) {
  Md4cState st{masked.data(), masked.size(), {}, false, 0};
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
  parser.enter_block = on_enter_block;
  parser.leave_block = on_leave_block;
  parser.enter_span = on_enter_span;
  parser.leave_span = on_leave_span;
  parser.text = on_text;
  if (md_parse(masked.data(), static_cast<MD_SIZE>(masked.size()), &parser, &st) != 0) return false;
  headings = std::move(st.headings);
  return true;
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
  if (!anchor.empty() && anchors.count(anchor)) {
    for (int k = 1;; ++k) {
      std::string cand = anchor + "-" + std::to_string(k);
      if (!anchors.count(cand)) {
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
