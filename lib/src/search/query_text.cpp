// SPDX-License-Identifier: MIT
#include "search/query_text.h"

#include <algorithm>
#include <array>
#include <vector>

#include "taxon/error.h"

namespace taxon::search {
bool is_operator(std::string_view w) {
  static constexpr std::array<std::string_view, 6> kOps = {"AND", "OR",   "NOT",
                                                           "XOR", "NEAR", "ADJ"};
  return std::any_of(kOps.begin(), kOps.end(), [w](std::string_view op) {
    return w == op || (w.size() > op.size() + 1 && w.substr(0, op.size()) == op &&
                       w[op.size()] == '/' && (op == "NEAR" || op == "ADJ"));
  });
}

namespace {

bool is_break(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"';
}

}  // namespace

std::string normalize_query(std::string_view q, Analyzer& analyzer,
                            const std::set<std::string, std::less<>>& fields) {
  std::string out;
  std::size_t i = 0;
  while (i < q.size()) {
    char c = q[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      ++i;
      continue;
    }
    if (c == '(' || c == ')' || c == '"') {
      out += c;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < q.size() && !is_break(q[j])) ++j;
    std::string_view chunk = q.substr(i, j - i);
    i = j;
    // Love/hate markers stay in front of what follows.
    while (!chunk.empty() && (chunk[0] == '+' || chunk[0] == '-')) {
      out += chunk[0];
      chunk.remove_prefix(1);
    }
    if (chunk.empty()) continue;
    if (is_operator(chunk)) {
      out.append(chunk);
      continue;
    }
    if (auto colon = chunk.find(':');
        colon != std::string_view::npos && colon > 0 && fields.contains(chunk.substr(0, colon))) {
      if (colon + 1 == chunk.size() && (i >= q.size() || q[i] != '"'))
        throw Error(ErrorCode::BadQuery, "'" + std::string(chunk) + "' needs a value, e.g. " +
                                             std::string(chunk) + "\"some words\"");
      out.append(chunk);
      // A quoted value is copied as it is, up to its closing quote.
      if (colon + 1 == chunk.size() && i < q.size() && q[i] == '"') {
        std::size_t close = q.find('"', i + 1);
        std::size_t end = close == std::string_view::npos ? q.size() : close + 1;
        out.append(q.substr(i, end - i));
        if (close == std::string_view::npos) out += '"';
        i = end;
      }
      continue;
    }
    bool wildcard = chunk.back() == '*';
    while (!chunk.empty() && chunk.back() == '*') chunk.remove_suffix(1);
    auto words = analyzer.words(chunk);
    for (std::size_t k = 0; k < words.size(); ++k) {
      if (k > 0) out += ' ';
      out += words[k];
    }
    if (wildcard && !words.empty()) out += '*';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string mark_wildcards(std::string_view q, bool partial) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i <= q.size();) {
    std::size_t j = q.find(' ', i);
    if (j == std::string_view::npos) j = q.size();
    if (j > i) tokens.emplace_back(q.substr(i, j - i));
    i = j + 1;
  }
  std::string out;
  bool in_quotes = false;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    std::string tok = tokens[t];
    const bool quoted = in_quotes || tok.find('"') != std::string::npos;
    if (std::count(tok.begin(), tok.end(), '"') % 2 == 1) in_quotes = !in_quotes;
    const std::size_t a = tok.find_first_not_of("(+-");
    const std::size_t b = tok.find_last_not_of(')');
    // A token of closing parentheses only (`)`) has no word: b is npos.
    if (!quoted && tok.find(':') == std::string::npos && a != std::string::npos &&
        b != std::string::npos && a <= b) {
      std::string word = tok.substr(a, b - a + 1);
      bool wild = word.back() == '*';
      while (!word.empty() && word.back() == '*') word.pop_back();
      // Not after NEAR or ADJ: their words must be plain words.
      const bool after_window_op =
          t > 0 && (tokens[t - 1].rfind("NEAR", 0) == 0 || tokens[t - 1].rfind("ADJ", 0) == 0) &&
          is_operator(tokens[t - 1]);
      if (!wild && partial && t + 1 == tokens.size() && !after_window_op) wild = true;
      if (wild && !word.empty() && !is_operator(word)) {
        std::string marked = tok.substr(0, a);
        marked.append(kWildcardField).append(":").append(word).append(tok.substr(b + 1));
        tok = std::move(marked);
      }
    }
    if (!out.empty()) out += ' ';
    out += tok;
  }
  return out;
}

std::string hide_field_values(std::string_view q,
                              const std::set<std::string, std::less<>>& fields) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  std::size_t i = 0;
  while (i < q.size()) {
    const bool word_start =
        i == 0 || q[i - 1] == ' ' || q[i - 1] == '(' || q[i - 1] == '+' || q[i - 1] == '-';
    const std::size_t colon = q.find(':', i);
    const std::size_t name_end = q.find_first_of(" ()\"", i);
    if (!word_start || colon == std::string_view::npos || colon == i ||
        (name_end != std::string_view::npos && name_end < colon) ||
        !fields.contains(q.substr(i, colon - i))) {
      out += q[i++];
      continue;
    }
    std::size_t start = colon + 1, end = 0, next = 0;
    if (start < q.size() && q[start] == '"') {
      ++start;
      end = q.find('"', start);
      if (end == std::string_view::npos) end = q.size();
      next = std::min(end + 1, q.size());
    } else {
      end = q.find_first_of(" ()\"", start);
      if (end == std::string_view::npos) end = q.size();
      next = end;
    }
    out.append(q.substr(i, colon + 1 - i));
    const std::string_view value = q.substr(start, end - start);
    out += 'h';
    for (const char ch : value) {
      const auto c = static_cast<unsigned char>(ch);
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
    i = next;
  }
  return out;
}

bool window_op_beside_non_word(std::string_view q,
                               const std::set<std::string, std::less<>>& fields) {
  // Tokens outside quotes; a quoted phrase is one plain operand.
  std::vector<std::string_view> tokens;
  bool in_quotes = false;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i <= q.size(); ++i) {
    const bool end = i == q.size();
    if (!end && q[i] == '"') in_quotes = !in_quotes;
    if (end || (!in_quotes && q[i] == ' ')) {
      if (start != std::string_view::npos) tokens.push_back(q.substr(start, i - start));
      start = std::string_view::npos;
    } else if (start == std::string_view::npos) {
      start = i;
    }
  }
  auto non_word = [&](std::string_view tok) {
    while (!tok.empty() && (tok[0] == '(' || tok[0] == '+')) tok.remove_prefix(1);
    // An excluded word has no place to be near: Xapian's grammar refuses
    // `-a NEAR b`, and the parse it then gives up on leaks memory.
    if (!tok.empty() && tok[0] == '-') return true;
    while (!tok.empty() && tok.back() == ')') tok.remove_suffix(1);
    if (tok.empty() || tok[0] == '"') return false;
    if (tok.back() == '*') return true;
    const std::size_t colon = tok.find(':');
    return colon != std::string_view::npos && fields.contains(tok.substr(0, colon));
  };
  auto window_op = [](std::string_view tok) {
    return is_operator(tok) && (tok.starts_with("NEAR") || tok.starts_with("ADJ"));
  };
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    if (!window_op(tokens[t])) continue;
    if ((t > 0 && non_word(tokens[t - 1])) || (t + 1 < tokens.size() && non_word(tokens[t + 1])))
      return true;
  }
  return false;
}

std::string last_plain_word(std::string_view q) {
  while (!q.empty() && q.back() == ' ') q.remove_suffix(1);
  if (q.empty() || q.back() == '"' || std::count(q.begin(), q.end(), '"') % 2 == 1) return {};
  const std::size_t space = q.rfind(' ');
  std::string_view tok = space == std::string_view::npos ? q : q.substr(space + 1);
  while (!tok.empty() && (tok.front() == '(' || tok.front() == '+')) tok.remove_prefix(1);
  while (!tok.empty() && tok.back() == ')') tok.remove_suffix(1);
  if (tok.empty() || tok.front() == '-' || tok.back() == '*' ||
      tok.find_first_of(":\"()") != std::string_view::npos || is_operator(tok))
    return {};
  return std::string(tok);
}

std::vector<std::string> field_values(std::string_view q, std::string_view field) {
  std::vector<std::string> out;
  const std::string key = std::string(field) + ":";
  for (std::size_t i = q.find(key); i != std::string_view::npos; i = q.find(key, i + 1)) {
    if (i > 0 && q[i - 1] != ' ' && q[i - 1] != '(' && q[i - 1] != '+' && q[i - 1] != '-') continue;
    std::size_t start = i + key.size(), end = 0;
    if (start < q.size() && q[start] == '"') {
      ++start;
      end = q.find('"', start);
    } else {
      end = q.find_first_of(" ()", start);
    }
    if (end == std::string_view::npos) end = q.size();
    if (end > start) out.emplace_back(q.substr(start, end - start));
  }
  return out;
}

std::string check_query(std::string_view q, bool partial, const QueryLimits& limits) {
  std::size_t words = 0, depth = 0, under_page = 0, wildcards = 0;
  std::string_view last;
  bool in_quotes = false;
  std::size_t i = 0;
  while (i < q.size()) {
    const char c = q[i];
    if (c == '"') {
      in_quotes = !in_quotes;
      ++i;
    } else if (c == '(' && !in_quotes) {
      if (++depth > limits.max_depth)
        return "parentheses nest more than " + std::to_string(limits.max_depth) +
               " deep: the limit is " + std::to_string(limits.max_depth);
      ++i;
    } else if (c == ')' && !in_quotes) {
      if (depth == 0) return "')' without a matching '('";
      --depth;
      ++i;
    } else if (is_break(c)) {
      ++i;
    } else {
      std::size_t j = i;
      while (j < q.size() && !is_break(q[j])) ++j;
      std::string_view word = q.substr(i, j - i);
      i = j;
      ++words;
      while (!word.empty() && (word[0] == '+' || word[0] == '-')) word.remove_prefix(1);
      // Counted wherever they stand (a quoted phrase too): counting one too
      // many is harmless, missing one is not.
      if (word.starts_with("under:") || word.starts_with("page:")) ++under_page;
      if (word.ends_with('*')) ++wildcards;
      last = word;
    }
  }
  if (depth > 0) return "'(' without a matching ')'";
  if (partial && !last.empty() && !last.ends_with('*') && !is_operator(last)) ++wildcards;
  auto over = [](std::size_t n, std::size_t limit, const char* what) {
    return "the query has " + std::to_string(n) + " " + what + ": the limit is " +
           std::to_string(limit);
  };
  if (words > limits.max_words) return over(words, limits.max_words, "words");
  if (under_page > limits.max_under_page)
    return over(under_page, limits.max_under_page, "under: and page: values");
  if (wildcards > limits.max_wildcards)
    return over(wildcards, limits.max_wildcards, "wildcards (words ending in '*')");
  return {};
}

std::string cut_for_message(std::string_view q, std::size_t max_bytes) {
  if (q.size() <= max_bytes) return std::string(q);
  std::size_t end = max_bytes;
  // Back to the first byte of a UTF-8 sequence.
  while (end > 0 && (static_cast<unsigned char>(q[end]) & 0xC0) == 0x80) --end;
  return std::string(q.substr(0, end)) + "\u2026";
}

std::string decode_field_value(std::string_view token) {
  if (token.size() % 2 == 0 || token.empty() || token[0] != 'h') return std::string(token);
  auto nibble = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string out;
  for (std::size_t k = 1; k + 1 < token.size(); k += 2) {
    const int hi = nibble(token[k]), lo = nibble(token[k + 1]);
    if (hi < 0 || lo < 0) return std::string(token);
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace taxon::search
