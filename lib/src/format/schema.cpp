// SPDX-License-Identifier: MIT
// Document data and page metadata use a small length-prefixed binary form:
// smaller and faster than JSON. Its varint and string encoding is shared
// with the copy of the spelling and synonym tables (index/tables.cpp).
#include "format/schema.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

constexpr char kDataVersion = 4;

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
  // A number from 0 to `max` (at most INT_MAX); anything larger is refused
  // rather than cut to an int.
  int integer(std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    const std::uint64_t v = varint();
    if (v > max) {
      ok = false;
      return 0;
    }
    return static_cast<int>(v);
  }
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

bool heading_of(const PageData& page, const std::string& page_id, int ordinal, HeadingData& out) {
  if (ordinal < 0 || static_cast<std::size_t>(ordinal) >= page.outline.size()) return false;
  const OutlineEntry& e = page.outline[static_cast<std::size_t>(ordinal)];
  out.page_id = page_id;
  out.label = e.label;
  out.number = e.number;
  out.keywords = e.keywords;
  out.anchor = e.default_anchor ? default_anchor(out) : e.anchor;
  out.shortcode = e.shortcode;
  out.level = e.level;
  out.line = e.line;
  out.ordinal = ordinal;
  out.last = e.last;
  return true;
}

std::string page_term(std::string_view page_id, std::uint64_t version) {
  std::string t(kPage);
  t.append(page_id).append(".").append(std::to_string(version));
  return t;
}

std::string encode_runs(const std::vector<DocRun>& runs) {
  std::string out;
  out += kDataVersion;
  for (const auto& r : runs) {
    put_str(out, r.name);
    put_varint(out, r.first);
    put_varint(out, r.last - r.first);
  }
  return out;
}

bool decode_runs(std::string_view s, std::vector<DocRun>& runs) {
  runs.clear();
  if (s.empty()) return true;
  if (s[0] != kDataVersion) return false;
  Reader r{s.substr(1)};
  while (r.ok && !r.s.empty()) {
    DocRun run;
    run.name = r.str();
    const std::uint64_t first = r.varint(), span = r.varint();
    // Checked without the sum, which a span near 2^64 would wrap.
    if (!r.ok || first == 0 || first > 0xFFFFFFFFu || span > 0xFFFFFFFFu - first) return false;
    run.first = static_cast<std::uint32_t>(first);
    run.last = static_cast<std::uint32_t>(first + span);
    runs.push_back(std::move(run));
  }
  return r.ok;
}

namespace {

constexpr std::size_t kDocIdEntry = 16;

void put_u32(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint64_t get_be(std::string_view s, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

}  // namespace

std::string encode_docids(const std::vector<DocRun>& runs) {
  std::string out;
  out.reserve(1 + runs.size() * kDocIdEntry);
  out += kDataVersion;
  for (const auto& r : runs) {
    std::uint64_t id = 0;
    for (char c : r.name)
      id = (id << 4) | static_cast<std::uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    put_u32(out, r.first, 4);
    put_u32(out, r.last, 4);
    put_u32(out, id, 8);
  }
  return out;
}

bool decode_docids(std::string_view s, std::vector<DocRun>& runs) {
  runs.clear();
  if (s.empty()) return true;
  if (s[0] != kDataVersion || (s.size() - 1) % kDocIdEntry != 0) return false;
  for (std::size_t at = 1; at < s.size(); at += kDocIdEntry) {
    DocRun r;
    r.first = static_cast<std::uint32_t>(get_be(s, at, 4));
    r.last = static_cast<std::uint32_t>(get_be(s, at + 4, 4));
    r.name = util::hex64(get_be(s, at + 8, 8));
    runs.push_back(std::move(r));
  }
  return true;
}

bool find_docid(std::string_view s, std::uint32_t did, std::string& page_id, int& ordinal) {
  if (s.empty() || s[0] != kDataVersion || (s.size() - 1) % kDocIdEntry != 0) return false;
  // The last entry whose first id is at most `did`.
  std::size_t lo = 0, hi = (s.size() - 1) / kDocIdEntry;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (get_be(s, 1 + mid * kDocIdEntry, 4) <= did)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return false;
  const std::size_t at = 1 + (lo - 1) * kDocIdEntry;
  const std::uint64_t first = get_be(s, at, 4), last = get_be(s, at + 4, 4);
  if (did > last) return false;
  page_id = util::hex64(get_be(s, at + 8, 8));
  ordinal = static_cast<int>(did - first);
  return true;
}

std::vector<int> PageData::ancestors(int ordinal) const {
  return ancestor_chain(outline.size(), ordinal,
                        [this](std::size_t i) { return outline[i].parent; });
}

std::string encode(const PageData& d) {
  std::string out;
  out += kDataVersion;
  put_str(out, d.path);
  put_varint(out, d.version);
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
  HeadingData h;
  for (const auto& e : d.outline) {
    put_str(out, e.number);
    put_str(out, e.label);
    put_str(out, e.keywords);
    h.number = e.number;
    h.label = e.label;
    h.keywords = e.keywords;
    // 0: the default anchor; 1: the anchor follows.
    if (e.default_anchor || e.anchor == default_anchor(h)) {
      put_varint(out, 0);
    } else {
      put_varint(out, 1);
      put_str(out, e.anchor);
    }
    put_str(out, e.shortcode);
    put_varint(out, static_cast<std::uint64_t>(e.level));
    put_varint(out, static_cast<std::uint64_t>(e.line));
    // NOLINTNEXTLINE(bugprone-misplaced-widening-cast): -1 <= parent < heading count: no overflow
    put_varint(out, static_cast<std::uint64_t>(e.parent + 1));
  }
  return out;
}

bool decode(std::string_view s, PageData& d, bool with_outline) {
  if (s.empty() || s[0] != kDataVersion) return false;
  Reader r{s.substr(1)};
  d.path = r.str();
  d.version = r.varint();
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
  if (!r.ok || n > r.s.size()) return false;  // each entry takes at least eight bytes
  d.outline.resize(n);
  for (auto& e : d.outline) {
    e.number = r.str();
    e.label = r.str();
    e.keywords = r.str();
    // The default anchor is made when a heading is asked for (heading_of),
    // not for every heading of every record read.
    e.default_anchor = r.varint() != 1;
    if (!e.default_anchor) e.anchor = r.str();
    e.shortcode = r.str();
    e.level = r.integer(6);
    e.line = r.integer();
    e.parent = r.integer() - 1;
    if (!r.ok || e.level < 1) return false;
  }
  // Headings come in document order, so a subtree is a heading and the run
  // after it; a parent must come before its child.
  for (std::size_t i = d.outline.size(); i-- > 0;) {
    auto& e = d.outline[i];
    e.last = std::max(e.last, static_cast<int>(i));
    if (e.parent >= static_cast<int>(i)) return false;
    if (e.parent >= 0) {
      auto& p = d.outline[static_cast<std::size_t>(e.parent)];
      p.last = std::max(p.last, e.last);
    }
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

bool ordinal_from_key(std::string_view key, int& ordinal) {
  if (key.size() != 4) return false;
  std::uint32_t v = 0;
  for (char c : key) v = (v << 8) | static_cast<unsigned char>(c);
  if (v > 0x7FFFFFFFu) return false;
  ordinal = static_cast<int>(v);
  return true;
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
