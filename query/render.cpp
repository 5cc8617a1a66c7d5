// SPDX-License-Identifier: MIT
#include "render.h"

#include <algorithm>
#include <map>
#include <set>

#include "taxon/analyzer.h"
#include "taxon/printable.h"

namespace taxon::cli {
namespace {

const char* kBold = "\033[1m";
const char* kDim = "\033[2m";
const char* kMatch = "\033[1;33m";
const char* kGreen = "\033[32m";
const char* kCyan = "\033[36m";
const char* kReset = "\033[0m";

// Query words (and their stems) to highlight; field values and operators are left out.
class Highlighter {
 public:
  Highlighter(const std::string& query, bool on) : on_(on) {
    if (!on_) return;
    std::string plain;
    std::size_t i = 0;
    while (i < query.size()) {
      std::size_t j = query.find_first_of(" \t()\"", i);
      if (j == std::string::npos) j = query.size();
      std::string chunk = query.substr(i, j - i);
      auto colon = chunk.find(':');
      bool field = colon != std::string::npos && colon > 0 &&
                   std::all_of(chunk.begin(), chunk.begin() + static_cast<long>(colon),
                               [](char c) { return c >= 'a' && c <= 'z'; });
      bool op = chunk == "AND" || chunk == "OR" || chunk == "NOT" || chunk == "XOR" ||
                chunk.rfind("NEAR", 0) == 0 || chunk.rfind("ADJ", 0) == 0;
      if (field &&
          (chunk.compare(0, colon, "label") == 0 || chunk.compare(0, colon, "keywords") == 0)) {
        chunk = chunk.substr(colon + 1);
        field = false;
      }
      if (!field && !op) plain += chunk + " ";
      i = j + 1;
    }
    for (const auto& w : analyzer_.words(plain)) {
      std::string b = w;
      while (!b.empty() && b.back() == '*') b.pop_back();
      stems_.insert(analyzer_.stem(b));
      prefixes_.insert(b);
    }
  }

  std::string apply(const std::string& text, const char* base) {
    if (!on_) return text;
    std::string out;
    std::size_t i = 0;
    while (i <= text.size()) {
      std::size_t j = text.find(' ', i);
      if (j == std::string::npos) j = text.size();
      std::string token = text.substr(i, j - i);
      bool hit = false;
      auto check = [&](const std::string& w) {
        if (stems_.contains(analyzer_.stem(w))) hit = true;
        for (const auto& p : prefixes_)
          if (p.size() >= 3 && w.rfind(p, 0) == 0) hit = true;
      };
      // A compound's joined form too: "readingtime" lights "ReadingTime".
      for (const auto& w : analyzer_.words(token, compounds_)) check(w);
      for (const auto& c : compounds_) check(c.joined);
      if (hit)
        out += std::string(kMatch) + token + kReset + base;
      else
        out += token;
      if (j < text.size()) out += ' ';
      i = j + 1;
    }
    return out;
  }

 private:
  bool on_;
  Analyzer analyzer_{"en"};
  std::set<std::string> stems_, prefixes_;
  std::vector<Analyzer::Compound> compounds_;
};

// A TSV field: tabs and line breaks would split fields and records, so
// they become spaces; every other control character is escaped.
std::string clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return printable(s);
}

}  // namespace

std::string display_path(const std::string& path, const std::filesystem::path& cwd) {
  if (path.empty() || cwd.empty()) return path;
  std::filesystem::path rel = std::filesystem::path(path).lexically_relative(cwd);
  std::string r = rel.generic_string();
  if (r.empty() || r.rfind("..", 0) == 0) return path;
  return r;
}

void render_text(std::ostream& out, const SearchResult& r, const RenderOptions& o) {
  Highlighter hl(o.query, o.color);
  bool first = true;
  for (const auto& h : r.hits) {
    if (!first) out << "\n";
    first = false;
    // Every field comes from a page or its file name: printable() keeps
    // their escape sequences off the terminal.
    std::string head = h.number.empty() ? "" : printable(h.number) + " ";
    if (o.color)
      out << kBold << head << hl.apply(printable(h.label), kBold) << kReset;
    else
      out << head << printable(h.label);
    out << "  " << (o.color ? kGreen : "") << h.percent << "%" << (o.color ? kReset : "");
    if (h.collapsed > 0) out << "  (+" << h.collapsed << " more)";
    out << "\n";
    std::string crumbs = printable(h.breadcrumb());
    if (!crumbs.empty())
      out << "  " << (o.color ? kCyan : "") << crumbs << (o.color ? kReset : "") << "\n";
    if (!h.keywords.empty())
      out << "  " << (o.color ? kDim : "") << hl.apply(printable(h.keywords), o.color ? kDim : "")
          << (o.color ? kReset : "") << "\n";
    out << "  " << printable(display_path(h.path, o.cwd)) << ":" << h.line << "\n";
  }
}

void render_tree(std::ostream& out, const SearchResult& r, const RenderOptions& o) {
  Highlighter hl(o.query, o.color);
  // Pages in the order of their best hit; inside a page, headings in page order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Hit*>> by_page;
  for (const auto& h : r.hits) {
    if (!by_page.contains(h.path)) order.push_back(h.path);
    by_page[h.path].push_back(&h);
  }
  bool first = true;
  for (const auto& path : order) {
    if (!first) out << "\n";
    first = false;
    out << (o.color ? kCyan : "") << printable(display_path(path, o.cwd)) << (o.color ? kReset : "")
        << "\n";
    struct Node {
      int depth;
      std::string text;
      const Hit* hit;
    };
    std::map<int, Node> nodes;  // by ordinal
    for (const Hit* h : by_page[path]) {
      for (std::size_t d = 0; d < h->ancestors.size(); ++d) {
        const auto& a = h->ancestors[d];
        nodes.emplace(a.ordinal, Node{static_cast<int>(d), printable(a.text()), nullptr});
      }
      Node& n = nodes[h->ordinal];
      n.depth = static_cast<int>(h->ancestors.size());
      n.text = printable(h->heading());
      n.hit = h;
    }
    for (const auto& [ordinal, n] : nodes) {
      out << std::string(static_cast<std::size_t>(2 + 2 * n.depth), ' ');
      if (n.hit) {
        if (o.color)
          out << kBold << hl.apply(n.text, kBold) << kReset;
        else
          out << n.text;
        out << "  " << (o.color ? kGreen : "") << "[" << n.hit->percent << "%]"
            << (o.color ? kReset : "") << "  :" << n.hit->line << "\n";
      } else {
        out << (o.color ? kDim : "") << n.text << (o.color ? kReset : "") << "\n";
      }
    }
  }
}

void render_tsv(std::ostream& out, const SearchResult& r, const RenderOptions& o, char end) {
  for (const auto& h : r.hits) {
    out << h.rank << '\t' << h.percent << '\t' << clean(h.number) << '\t' << clean(h.label) << '\t'
        << clean(h.breadcrumb(" > ")) << '\t' << clean(display_path(h.path, o.cwd)) << '\t'
        << h.line << '\t' << clean(h.url) << '\t' << clean(h.keywords) << end;
  }
}

}  // namespace taxon::cli
