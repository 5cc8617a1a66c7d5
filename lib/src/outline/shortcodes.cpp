// SPDX-License-Identifier: MIT
#include "outline/shortcodes.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace taxon::outline {

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

}  // namespace taxon::outline
