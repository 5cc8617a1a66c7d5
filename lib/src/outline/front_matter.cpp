// SPDX-License-Identifier: MIT
// Where front matter sits (between `---` or `+++` lines, or a JSON object at
// the top), parsed by its format's library, then converted to a Value tree
// (front_matter_readers.h) and read into the page (front_matter_fields.cpp).
#include "outline/front_matter.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "outline/front_matter_readers.h"

namespace taxon::outline {
namespace {

// File line of the first front-matter line, after the opening delimiter.
constexpr int kFirstLine = 2;

// The line after the opening delimiter line ends; npos if none.
std::size_t after_line(std::string_view text, std::size_t from) {
  std::size_t nl = text.find('\n', from);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

bool line_is(std::string_view text, std::size_t start, std::string_view delim, std::size_t* next) {
  std::size_t end = text.find('\n', start);
  std::string_view line =
      text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  if (line != delim) return false;
  *next = end == std::string_view::npos ? text.size() : end + 1;
  return true;
}

// Finds the closing delimiter line; returns {start of that line, offset after it}.
bool find_closing(std::string_view text, std::size_t from, std::string_view delim,
                  std::string_view alt, std::size_t* close_start, std::size_t* after) {
  std::size_t pos = from;
  while (pos < text.size()) {
    if (line_is(text, pos, delim, after) || (!alt.empty() && line_is(text, pos, alt, after))) {
      *close_start = pos;
      return true;
    }
    pos = after_line(text, pos);
  }
  return false;
}

// End of a JSON object starting at `text[0] == '{'`, honouring strings.
std::size_t json_object_end(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[')
      ++depth;
    else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// "{" then a quoted key or "}": a JSON object, not a shortcode ("{{<") or prose.
bool starts_json_object(std::string_view text) {
  if (text.empty() || text[0] != '{') return false;
  std::size_t i = text.find_first_not_of(" \t\r\n", 1);
  return i != std::string_view::npos && (text[i] == '"' || text[i] == '}');
}

void fail(FrontMatterBlock& block, int line, std::string message) {
  block.ok = false;
  block.error_line = line;
  block.error = std::move(message);
}

// Whether front matter of `bytes` is over the limit, checked before any
// parser sees the text; fails `block` if so.
bool too_big(std::size_t bytes, const ParseOptions& options, FrontMatterBlock& block) {
  if (bytes <= options.max_front_matter_bytes) return false;
  fail(block, 1,
       "front matter of " + std::to_string(bytes) + " bytes is over the limit of " +
           std::to_string(options.max_front_matter_bytes) + " bytes");
  return true;
}

// The text between the opening delimiter line (ending at `body_start`) and
// the closing `delim` (or `alt`) line, and block.end after it; nothing when
// `block` failed (no closing line, or too big).
std::optional<std::string_view> delimited_body(std::string_view text, std::size_t body_start,
                                               std::string_view delim, std::string_view alt,
                                               const char* format, const ParseOptions& options,
                                               FrontMatterBlock& block) {
  std::size_t close = 0;
  std::size_t after = 0;
  if (!find_closing(text, body_start, delim, alt, &close, &after)) {
    fail(block, 1,
         std::string("unterminated ") + format + " front matter: no closing '" +
             std::string(delim) + "' line");
    block.end = text.size();
    return std::nullopt;
  }
  block.end = after;
  if (too_big(close - body_start, options, block)) return std::nullopt;
  return text.substr(body_start, close - body_start);
}

// Runs `convert` (a Value tree into `out`), the lines it reports moved from
// the front matter's to the file's, where the front matter starts at
// `first_line`.
template <class Convert>
void convert_at(int first_line, FrontMatter& out, Convert&& convert) {
  try {
    convert();
  } catch (ConvertError& e) {
    e.line = e.line > 0 ? e.line + first_line - 1 : 1;
    throw;
  }
  if (out.title_line > 0) out.title_line += first_line - 1;
}

void read_yaml(std::string_view body, const ParseOptions& options, FrontMatter& out,
               FrontMatterBlock& block) {
  YAML::Node node;
  try {
    node = YAML::Load(std::string(body));
  } catch (const YAML::Exception& e) {
    fail(block, kFirstLine + (e.mark.line >= 0 ? e.mark.line : 0),
         "invalid YAML front matter: " + e.msg);
    return;
  }
  // yaml-cpp loads an alias as a second reference to its anchor's node, so
  // loading is cheap; only this conversion copies, under the budget.
  convert_at(kFirstLine, out, [&] {
    Budget budget(options);
    apply(from_yaml(node, 0, budget), out, options);
  });
}

void read_toml(std::string_view body, const ParseOptions& options, FrontMatter& out,
               FrontMatterBlock& block) {
  toml::table tbl;
  try {
    tbl = toml::parse(body);
  } catch (const toml::parse_error& e) {
    fail(block, kFirstLine - 1 + static_cast<int>(e.source().begin.line),
         "invalid TOML front matter: " + std::string(e.description()));
    return;
  }
  convert_at(kFirstLine, out, [&] {
    Budget budget(options);
    Value v = from_toml(tbl, 0, budget);
    v.line = 0;
    apply(v, out, options);
  });
}

// A JSON object at the top of the file, its first line the file's first.
void read_json(std::string_view text, const ParseOptions& options, FrontMatter& out,
               FrontMatterBlock& block) {
  const std::size_t end = json_object_end(text);
  if (end == std::string_view::npos) {
    fail(block, 1, "unterminated JSON front matter: no closing '}'");
    block.end = text.size();
    return;
  }
  block.end = after_line(text, end);
  if (too_big(end, options, block)) return;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.substr(0, end));
  } catch (const nlohmann::json::parse_error& e) {
    fail(block, 1 + count_lines(text.substr(0, std::min<std::size_t>(e.byte, end))),
         std::string("invalid JSON front matter: ") + e.what());
    return;
  }
  convert_at(1, out, [&] {
    Budget budget(options);
    apply(from_json(j, 0, budget), out, options);
  });
}

}  // namespace

FrontMatterBlock parse_front_matter(std::string_view text, FrontMatter& out,
                                    const ParseOptions& options) {
  FrontMatterBlock block;
  std::size_t body_start = 0;
  try {
    if (line_is(text, 0, "---", &body_start)) {
      block.present = true;
      if (auto body = delimited_body(text, body_start, "---", "...", "YAML", options, block))
        read_yaml(*body, options, out, block);
    } else if (line_is(text, 0, "+++", &body_start)) {
      block.present = true;
      if (auto body = delimited_body(text, body_start, "+++", "", "TOML", options, block))
        read_toml(*body, options, out, block);
    } else if (starts_json_object(text)) {
      block.present = true;
      read_json(text, options, out, block);
    }
  } catch (const ConvertError& e) {
    fail(block, e.line, e.message);
  } catch (const std::exception& e) {
    fail(block, 1, std::string("invalid front matter: ") + e.what());
  }
  return block;
}

}  // namespace taxon::outline
