// SPDX-License-Identifier: MIT
// Document data and page metadata use a small length-prefixed binary form:
// smaller and faster than JSON. Its varint and string encoding is shared
// with the copy of the spelling and synonym tables (index/tables.cpp).
#include "index/schema.h"

#include <algorithm>
#include <cmath>

#include "taxon/page.h"
#include "util/text.h"

namespace taxon::schema {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void put_str(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

bool get_varint(std::string_view& s, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !s.empty(); shift += 7) {
    const auto c = static_cast<unsigned char>(s.front());
    s.remove_prefix(1);
    v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
    if (!(c & 0x80)) return true;
  }
  v = 0;
  return false;
}

bool get_str(std::string_view& s, std::string& out) {
  std::uint64_t n = 0;
  if (!get_varint(s, n) || n > s.size()) return false;
  out.assign(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

namespace {

constexpr char kDataVersion = 3;

struct Reader {
  std::string_view s;
  bool ok = true;
  std::uint64_t varint() {
    std::uint64_t v = 0;
    if (!get_varint(s, v)) ok = false;
    return v;
  }
  std::string str() {
    std::string out;
    if (!get_str(s, out)) ok = false;
    return out;
  }
  int integer() { return static_cast<int>(varint()); }
};

}  // namespace

std::string page_id(std::string_view absolute_path) {
  return util::hex64(util::fnv1a64(absolute_path));
}

std::string default_anchor(const HeadingData& d) {
  std::string text = d.number;
  if (!text.empty() && !d.label.empty()) text += ' ';
  text += d.label;
  if (!d.keywords.empty()) text += "; " + d.keywords;
  return hugo_anchor(text);
}

std::string encode(const HeadingData& d) {
  std::string out;
  out.reserve(32 + d.label.size() + d.keywords.size());
  out += kDataVersion;
  put_str(out, d.page_id);
  put_str(out, d.label);
  put_str(out, d.number);
  put_str(out, d.keywords);
  // 0: the default anchor; 1: the anchor follows.
  if (d.anchor == default_anchor(d)) {
    put_varint(out, 0);
  } else {
    put_varint(out, 1);
    put_str(out, d.anchor);
  }
  put_str(out, d.shortcode);
  put_varint(out, static_cast<std::uint64_t>(d.level));
  put_varint(out, static_cast<std::uint64_t>(d.line));
  put_varint(out, static_cast<std::uint64_t>(d.ordinal));
  put_varint(out, static_cast<std::uint64_t>(d.last));
  return out;
}

bool decode(std::string_view s, HeadingData& d) {
  if (s.empty() || s[0] != kDataVersion) return false;
  Reader r{s.substr(1)};
  d.page_id = r.str();
  d.label = r.str();
  d.number = r.str();
  d.keywords = r.str();
  const bool own_anchor = r.varint() == 1;
  d.anchor = own_anchor ? r.str() : std::string();
  d.shortcode = r.str();
  d.level = r.integer();
  d.line = r.integer();
  d.ordinal = r.integer();
  d.last = r.integer();
  if (r.ok && !own_anchor) d.anchor = default_anchor(d);
  return r.ok;
}

std::vector<int> PageData::ancestors(int ordinal) const {
  std::vector<int> chain;
  if (ordinal < 0 || static_cast<std::size_t>(ordinal) >= outline.size()) return chain;
  for (int p = outline[static_cast<std::size_t>(ordinal)].parent;
       p >= 0 && static_cast<std::size_t>(p) < outline.size() && chain.size() < outline.size();
       p = outline[static_cast<std::size_t>(p)].parent)
    chain.push_back(p);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::string encode(const PageData& d) {
  std::string out;
  out += kDataVersion;
  put_str(out, d.path);
  put_varint(out, static_cast<std::uint64_t>(d.mtime_ns));
  put_varint(out, d.size);
  put_str(out, d.hash);
  put_str(out, d.title);
  put_str(out, d.lang);
  put_str(out, d.url);
  put_varint(out, d.categories.size());
  for (const auto& c : d.categories) put_str(out, c);
  put_varint(out, d.tags.size());
  for (const auto& t : d.tags) put_str(out, t);
  put_varint(out, d.headings);
  put_varint(out, d.outline.size());
  for (const auto& e : d.outline) {
    put_str(out, e.number);
    put_str(out, e.label);
    put_varint(out, static_cast<std::uint64_t>(e.level));
    put_varint(out, static_cast<std::uint64_t>(e.parent + 1));
  }
  return out;
}

bool decode(std::string_view s, PageData& d, bool with_outline) {
  if (s.empty() || s[0] != kDataVersion) return false;
  Reader r{s.substr(1)};
  d.path = r.str();
  d.mtime_ns = static_cast<std::int64_t>(r.varint());
  d.size = r.varint();
  d.hash = r.str();
  d.title = r.str();
  d.lang = r.str();
  d.url = r.str();
  std::uint64_t n = r.varint();
  if (!r.ok || n > 100000) return false;
  d.categories.resize(n);
  for (auto& c : d.categories) c = r.str();
  n = r.varint();
  if (!r.ok || n > 100000) return false;
  d.tags.resize(n);
  for (auto& t : d.tags) t = r.str();
  d.headings = static_cast<std::uint32_t>(r.varint());
  d.outline.clear();
  if (!with_outline || !r.ok) return r.ok;
  n = r.varint();
  if (!r.ok || n > r.s.size()) return false;  // each entry takes at least four bytes
  d.outline.resize(n);
  for (auto& e : d.outline) {
    e.number = r.str();
    e.label = r.str();
    e.level = r.integer();
    e.parent = r.integer() - 1;
  }
  return r.ok;
}

std::string normalize_number(std::string_view number) {
  while (!number.empty() && number.back() == '.') number.remove_suffix(1);
  return std::string(number);
}

unsigned normalized_wdf(unsigned wdf, unsigned length) {
  const double norm = (1 - kLengthB) + kLengthB * static_cast<double>(length) / kReferenceLength;
  const double scaled = kWdfScale * static_cast<double>(wdf) / norm;
  return std::max(1u, static_cast<unsigned>(std::lround(scaled)));
}

std::string ordinal_key(int ordinal) {
  const auto v = static_cast<std::uint32_t>(ordinal);
  return {static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xFF),
          static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}

std::string cap_term(std::string term) {
  if (term.size() > kMaxTermBytes) term = std::string(util::utf8_prefix(term, kMaxTermBytes));
  return term;
}

std::string whole_label_term(const std::vector<std::string>& stems) {
  std::string t(kWholeLabel);
  for (std::size_t i = 0; i < stems.size(); ++i) {
    if (i > 0) t += ' ';
    t += stems[i];
  }
  return cap_term(std::move(t));
}

}  // namespace taxon::schema
