// SPDX-License-Identifier: MIT
// Document data and page metadata use a small length-prefixed binary form:
// smaller and faster than JSON, and read back only by this file.
#include "index/schema.h"

#include <algorithm>
#include <cmath>

#include "util/text.h"

namespace taxon::schema {
namespace {

constexpr char kDataVersion = 2;

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

struct Reader {
  std::string_view s;
  bool ok = true;
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (s.empty()) {
        ok = false;
        return 0;
      }
      auto c = static_cast<unsigned char>(s.front());
      s.remove_prefix(1);
      v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
      if (!(c & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  std::string str() {
    std::uint64_t n = varint();
    if (!ok || n > s.size()) {
      ok = false;
      return {};
    }
    std::string out(s.substr(0, n));
    s.remove_prefix(n);
    return out;
  }
  int integer() { return static_cast<int>(varint()); }
};

}  // namespace

std::string page_id(std::string_view absolute_path) {
  return util::hex64(util::fnv1a64(absolute_path));
}

std::string encode(const HeadingData& d) {
  std::string out;
  out.reserve(64 + d.label.size() + d.keywords.size());
  out += kDataVersion;
  put_str(out, d.page_id);
  put_str(out, d.label);
  put_str(out, d.number);
  put_str(out, d.keywords);
  put_str(out, d.anchor);
  put_str(out, d.shortcode);
  put_varint(out, static_cast<std::uint64_t>(d.level));
  put_varint(out, static_cast<std::uint64_t>(d.line));
  put_varint(out, static_cast<std::uint64_t>(d.ordinal));
  put_varint(out, static_cast<std::uint64_t>(d.last));
  put_varint(out, d.ancestors.size());
  for (const auto& a : d.ancestors) {
    put_str(out, a.number);
    put_str(out, a.label);
    put_varint(out, static_cast<std::uint64_t>(a.ordinal));
    put_varint(out, static_cast<std::uint64_t>(a.level));
  }
  return out;
}

bool decode(std::string_view s, HeadingData& d) {
  if (s.empty() || s[0] != kDataVersion) return false;
  Reader r{s.substr(1)};
  d.page_id = r.str();
  d.label = r.str();
  d.number = r.str();
  d.keywords = r.str();
  d.anchor = r.str();
  d.shortcode = r.str();
  d.level = r.integer();
  d.line = r.integer();
  d.ordinal = r.integer();
  d.last = r.integer();
  std::uint64_t n = r.varint();
  if (!r.ok || n > 64) return false;
  d.ancestors.resize(n);
  for (auto& a : d.ancestors) {
    a.number = r.str();
    a.label = r.str();
    a.ordinal = r.integer();
    a.level = r.integer();
  }
  return r.ok;
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
  return out;
}

bool decode(std::string_view s, PageData& d) {
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
