// SPDX-License-Identifier: MIT
// The on-disk encoding of page records, document runs and terms
// (lib/src/format/schema.h): what is written reads back the same, and bytes
// that are not a whole record are refused, never half read.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "format/schema.h"

namespace schema = taxon::schema;
using schema::DocRun;
using schema::OutlineEntry;
using schema::PageData;

namespace {

OutlineEntry entry(std::string number, std::string label, std::string keywords, int level, int line,
                   int parent) {
  OutlineEntry e;
  e.number = std::move(number);
  e.label = std::move(label);
  e.keywords = std::move(keywords);
  e.level = level;
  e.line = line;
  e.parent = parent;
  return e;
}

// A page of five headings:
//   0 "1. Root"           (default anchor)
//     1 "1.1 Child"       (explicit anchor {#custom})
//       2 "Leaf"          (shortcode)
//     3 "1.2 Other"
//   4 "2. Second root"
PageData sample_page() {
  PageData d;
  d.path = "/srv/site/content/space/policy.md";
  d.version = 7;
  d.mtime_ns = 1700000000123456789;
  d.size = 4096;
  d.hash = "0123456789abcdef0123456789abcdef";
  d.title = "Space policy";
  d.lang = "fr";
  d.url = "/fr/space/policy/";
  d.categories = {"Policy", "Space"};
  d.tags = {"débris", "orbit"};
  d.headings = 5;
  d.outline.push_back(entry("1.", "Root", "root words", 1, 5, -1));
  d.outline.push_back(entry("1.1", "Child", "", 2, 8, 0));
  d.outline.back().anchor = "custom";
  d.outline.push_back(entry("", "Leaf", "leaf words", 3, 12, 1));
  d.outline.back().shortcode = "jsvis-map1";
  d.outline.push_back(entry("1.2", "Other", "", 2, 20, 0));
  d.outline.push_back(entry("2.", "Second root", "", 1, 30, -1));
  // Anchors as the indexer stores them: Hugo's default unless given.
  schema::HeadingData h;
  for (auto& e : d.outline) {
    if (!e.anchor.empty()) continue;
    h.number = e.number;
    h.label = e.label;
    h.keywords = e.keywords;
    e.anchor = schema::default_anchor(h);
  }
  return d;
}

// The anchor a decoded outline entry stands for.
std::string anchor_of(const PageData& d, int ordinal) {
  schema::HeadingData h;
  BOOST_REQUIRE(schema::heading_of(d, "00000000000000ff", ordinal, h));
  return h.anchor;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_encoding)

BOOST_AUTO_TEST_CASE(varints_and_strings_round_trip) {
  const std::vector<std::uint64_t> values{
      0, 1, 127, 128, 300, 16383, 16384, 0xFFFFFFFFu, 1ull << 35, 1ull << 63, UINT64_MAX};
  std::string buf;
  for (auto v : values) schema::put_varint(buf, v);
  schema::put_str(buf, "");
  schema::put_str(buf, std::string("a\0b", 3));
  schema::put_str(buf, std::string(300, 'x'));
  std::string_view s = buf;
  for (auto v : values) {
    std::uint64_t got = 42;
    BOOST_REQUIRE(schema::get_varint(s, got));
    BOOST_TEST(got == v);
  }
  std::string str = "junk";
  BOOST_REQUIRE(schema::get_str(s, str));
  BOOST_TEST(str.empty());
  BOOST_REQUIRE(schema::get_str(s, str));
  BOOST_TEST(str == std::string("a\0b", 3));
  BOOST_REQUIRE(schema::get_str(s, str));
  BOOST_TEST(str == std::string(300, 'x'));
  BOOST_TEST(s.empty());
  // Small numbers take one byte, and 7 bits go into each byte.
  std::string one;
  schema::put_varint(one, 127);
  BOOST_TEST(one.size() == 1u);
  one.clear();
  schema::put_varint(one, 128);
  BOOST_TEST(one.size() == 2u);
}

BOOST_AUTO_TEST_CASE(truncated_varints_and_strings_are_refused) {
  std::uint64_t v = 0;
  std::string_view empty;
  BOOST_TEST(!schema::get_varint(empty, v));
  std::string_view cont = "\x80\x80";  // continuation bits with nothing after them
  BOOST_TEST(!schema::get_varint(cont, v));
  std::string buf;
  schema::put_str(buf, "hello");
  buf.pop_back();  // the length says 5, four bytes follow
  std::string_view s = buf;
  std::string out;
  BOOST_TEST(!schema::get_str(s, out));
  // A length larger than anything in memory.
  std::string huge;
  schema::put_varint(huge, UINT64_MAX);
  huge += "abc";
  s = huge;
  BOOST_TEST(!schema::get_str(s, out));
}

BOOST_AUTO_TEST_CASE(page_record_round_trips) {
  const PageData d = sample_page();
  const std::string bytes = schema::encode(d);
  PageData back;
  BOOST_REQUIRE(schema::decode(bytes, back));
  BOOST_TEST(back.path == d.path);
  BOOST_TEST(back.version == d.version);
  BOOST_TEST(back.mtime_ns == d.mtime_ns);
  BOOST_TEST(back.size == d.size);
  BOOST_TEST(back.hash == d.hash);
  BOOST_TEST(back.title == d.title);
  BOOST_TEST(back.lang == d.lang);
  BOOST_TEST(back.url == d.url);
  BOOST_TEST(back.categories == d.categories, boost::test_tools::per_element());
  BOOST_TEST(back.tags == d.tags, boost::test_tools::per_element());
  BOOST_TEST(back.headings == d.headings);
  BOOST_REQUIRE_EQUAL(back.outline.size(), d.outline.size());
  for (std::size_t i = 0; i < d.outline.size(); ++i) {
    BOOST_TEST_CONTEXT("heading " << i) {
      const auto &a = back.outline[i], &b = d.outline[i];
      BOOST_TEST(a.number == b.number);
      BOOST_TEST(a.label == b.label);
      BOOST_TEST(a.keywords == b.keywords);
      BOOST_TEST(a.shortcode == b.shortcode);
      BOOST_TEST(a.level == b.level);
      BOOST_TEST(a.line == b.line);
      BOOST_TEST(a.parent == b.parent);
      BOOST_TEST(anchor_of(back, static_cast<int>(i)) == b.anchor);
    }
  }
  // Only the explicit anchor is stored; the others are made when read.
  BOOST_TEST(back.outline[0].default_anchor);
  BOOST_TEST(!back.outline[1].default_anchor);
  BOOST_TEST(back.outline[1].anchor == "custom");
  BOOST_TEST(bytes.find("custom") != std::string::npos);
  BOOST_TEST(bytes.find(d.outline[0].anchor) == std::string::npos);
  // Encoding is a function of the record: the same bytes again.
  BOOST_TEST(schema::encode(back) == bytes);
}

BOOST_AUTO_TEST_CASE(decoded_outline_knows_subtrees_and_ancestors) {
  PageData back;
  BOOST_REQUIRE(schema::decode(schema::encode(sample_page()), back));
  BOOST_REQUIRE_EQUAL(back.outline.size(), 5u);
  // `last`: the ordinal of the last heading of each subtree.
  const std::vector<int> last{3, 2, 2, 3, 4};
  for (std::size_t i = 0; i < last.size(); ++i)
    BOOST_TEST(back.outline[i].last == last[i], "heading " << i);
  BOOST_TEST(back.ancestors(2) == (std::vector<int>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(back.ancestors(3) == std::vector<int>{0}, boost::test_tools::per_element());
  BOOST_TEST(back.ancestors(0).empty());
  BOOST_TEST(back.ancestors(-1).empty());
  BOOST_TEST(back.ancestors(5).empty());

  schema::HeadingData h;
  BOOST_REQUIRE(schema::heading_of(back, "00000000000000ff", 2, h));
  BOOST_TEST(h.label == "Leaf");
  BOOST_TEST(h.keywords == "leaf words");
  BOOST_TEST(h.shortcode == "jsvis-map1");
  BOOST_TEST(h.page_id == "00000000000000ff");
  BOOST_TEST(h.ordinal == 2);
  BOOST_TEST(h.level == 3);
  BOOST_TEST(h.line == 12);
  BOOST_TEST(h.last == 2);
  BOOST_TEST(h.anchor == "leaf-leaf-words");
  BOOST_TEST(!schema::heading_of(back, "00000000000000ff", 5, h));
  BOOST_TEST(!schema::heading_of(back, "00000000000000ff", -1, h));
}

BOOST_AUTO_TEST_CASE(record_without_outline_stops_before_it) {
  const PageData d = sample_page();
  PageData back;
  back.outline.push_back({});  // left over from an earlier record
  BOOST_REQUIRE(schema::decode(schema::encode(d), back, false));
  BOOST_TEST(back.title == d.title);
  BOOST_TEST(back.tags == d.tags, boost::test_tools::per_element());
  BOOST_TEST(back.headings == 5u);
  BOOST_TEST(back.outline.empty());
}

BOOST_AUTO_TEST_CASE(empty_page_record_round_trips) {
  PageData d;
  PageData back;
  back.title = "stale";
  BOOST_REQUIRE(schema::decode(schema::encode(d), back));
  BOOST_TEST(back.title.empty());
  BOOST_TEST(back.path.empty());
  BOOST_TEST(back.outline.empty());
  BOOST_TEST(back.headings == 0u);
}

// Every proper prefix of a record is a record cut short: refused.
BOOST_AUTO_TEST_CASE(truncated_page_records_are_refused) {
  const std::string bytes = schema::encode(sample_page());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    PageData back;
    BOOST_TEST(!schema::decode(std::string_view(bytes).substr(0, n), back), "prefix of " << n);
  }
}

BOOST_AUTO_TEST_CASE(malformed_page_records_are_refused) {
  const std::string good = schema::encode(sample_page());
  PageData back;
  // Another data version.
  std::string other = good;
  other[0] = static_cast<char>(other[0] + 1);
  BOOST_TEST(!schema::decode(other, back));
  // An outline count larger than the bytes left could hold.
  {
    PageData d;
    std::string bytes = schema::encode(d);
    bytes.pop_back();  // the outline count (0)
    schema::put_varint(bytes, 1000000);
    BOOST_TEST(!schema::decode(bytes, back));
    // Without the outline the same record is read.
    BOOST_TEST(schema::decode(bytes, back, false));
  }
  // A parent that comes after its child.
  {
    PageData d = sample_page();
    d.outline[1].parent = 3;
    BOOST_TEST(!schema::decode(schema::encode(d), back));
    d.outline[1].parent = 1;  // its own parent
    BOOST_TEST(!schema::decode(schema::encode(d), back));
  }
  // Numbers an int cannot hold, or a heading level outside 1..6: refused,
  // not cut (a parent of 0xFFFFFFFF read as -2, 0x80000000 as INT_MIN - 1).
  for (const std::uint64_t parent : {0xFFFFFFFFull, 0x80000000ull, 0x7FFFFFFFFFFFull}) {
    PageData d = sample_page();
    std::string bytes = schema::encode(d);
    // The last heading's parent + 1 is the record's last varint.
    const std::string tail = [&] {
      std::string t;
      schema::put_varint(t, static_cast<std::uint64_t>(d.outline.back().parent + 1));
      return t;
    }();
    BOOST_REQUIRE(bytes.size() > tail.size());
    BOOST_REQUIRE(bytes.compare(bytes.size() - tail.size(), tail.size(), tail) == 0);
    bytes.resize(bytes.size() - tail.size());
    schema::put_varint(bytes, parent);
    BOOST_TEST(!schema::decode(bytes, back), parent);
  }
  for (const int level : {0, 7}) {
    PageData d = sample_page();
    d.outline.back().level = level;
    BOOST_TEST(!schema::decode(schema::encode(d), back), level);
  }
}

// A count of categories or tags over 100,000 is refused before anything is
// allocated for it.
BOOST_AUTO_TEST_CASE(huge_list_counts_are_refused) {
  auto record = [](std::uint64_t categories, std::uint64_t tags) {
    PageData d;
    std::string bytes = schema::encode(d);
    // An empty record: version, 5 empty strings and 3 zero numbers up to the
    // url, then the category count, tag count, headings, outline count.
    const std::size_t lists = bytes.size() - 4;
    std::string out = bytes.substr(0, lists);
    schema::put_varint(out, categories);
    for (std::uint64_t i = 0; i < std::min<std::uint64_t>(categories, 3); ++i)
      schema::put_str(out, "c");
    schema::put_varint(out, tags);
    schema::put_varint(out, 0);
    schema::put_varint(out, 0);
    return out;
  };
  PageData back;
  BOOST_TEST(schema::decode(record(0, 0), back));
  BOOST_TEST(schema::decode(record(3, 0), back));
  BOOST_TEST(back.categories == (std::vector<std::string>{"c", "c", "c"}),
             boost::test_tools::per_element());
  BOOST_TEST(!schema::decode(record(100001, 0), back));
  BOOST_TEST(!schema::decode(record(0, UINT64_MAX), back));
}

BOOST_AUTO_TEST_CASE(runs_round_trip) {
  const std::vector<DocRun> runs{
      {"XP0123456789abcdef.3", 1, 1}, {"XPfedcba9876543210.12", 2, 41}, {"", 100, 0xFFFFFFFFu}};
  std::vector<DocRun> back{{"stale", 9, 9}};
  BOOST_REQUIRE(schema::decode_runs(schema::encode_runs(runs), back));
  BOOST_REQUIRE_EQUAL(back.size(), runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    BOOST_TEST(back[i].name == runs[i].name);
    BOOST_TEST(back[i].first == runs[i].first);
    BOOST_TEST(back[i].last == runs[i].last);
  }
  // No runs: the empty string and the encoded empty list both read as none.
  BOOST_TEST(schema::decode_runs("", back));
  BOOST_TEST(back.empty());
  BOOST_TEST(schema::decode_runs(schema::encode_runs({}), back));
  BOOST_TEST(back.empty());
}

BOOST_AUTO_TEST_CASE(malformed_runs_are_refused) {
  std::vector<DocRun> back;
  const std::string good = schema::encode_runs({{"XPa.1", 5, 9}, {"XPb.2", 10, 12}});
  for (std::size_t n = 1; n < good.size(); ++n) {
    // A prefix that ends between two runs is a shorter, valid list.
    const std::string cut = good.substr(0, n);
    std::vector<DocRun> runs;
    if (schema::decode_runs(cut, runs)) {
      BOOST_TEST(runs.size() <= 1u, "prefix of " << n);
      for (const auto& r : runs) BOOST_TEST(r.name == "XPa.1");
    }
  }
  // Cut inside the second run.
  BOOST_TEST(!schema::decode_runs(good.substr(0, good.size() - 1), back));
  std::string other = good;
  other[0] = static_cast<char>(other[0] + 1);
  BOOST_TEST(!schema::decode_runs(other, back));
  // Document id 0 does not exist in Xapian.
  BOOST_TEST(!schema::decode_runs(schema::encode_runs({{"XPa.1", 0, 3}}), back));
  // A run past the last document id.
  std::string past(1, good[0]);
  schema::put_str(past, "XPa.1");
  schema::put_varint(past, 0xFFFFFFF0u);
  schema::put_varint(past, 0x20);
  BOOST_TEST(!schema::decode_runs(past, back));
}

// A span so large that first + span wraps around 2^64 must be refused too.
BOOST_AUTO_TEST_CASE(run_span_that_wraps_is_refused) {
  std::string s = schema::encode_runs({});
  schema::put_str(s, "XPa.1");
  schema::put_varint(s, 2);
  schema::put_varint(s, UINT64_MAX);  // 2 + (2^64 - 1) wraps to 1
  std::vector<DocRun> back;
  BOOST_TEST(!schema::decode_runs(s, back));
}

BOOST_AUTO_TEST_CASE(docids_round_trip_and_are_found) {
  const std::vector<DocRun> runs{
      {"0123456789abcdef", 1, 3}, {"fedcba9876543210", 4, 4}, {"00000000000000ff", 10, 20}};
  const std::string bytes = schema::encode_docids(runs);
  BOOST_TEST(bytes.size() == 1u + 16u * runs.size());
  std::vector<DocRun> back;
  BOOST_REQUIRE(schema::decode_docids(bytes, back));
  BOOST_REQUIRE_EQUAL(back.size(), runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    BOOST_TEST(back[i].name == runs[i].name);
    BOOST_TEST(back[i].first == runs[i].first);
    BOOST_TEST(back[i].last == runs[i].last);
  }
  std::string page;
  int ordinal = -1;
  BOOST_TEST(schema::find_docid(bytes, 1, page, ordinal));
  BOOST_TEST(page == "0123456789abcdef");
  BOOST_TEST(ordinal == 0);
  BOOST_TEST(schema::find_docid(bytes, 3, page, ordinal));
  BOOST_TEST(ordinal == 2);
  BOOST_TEST(schema::find_docid(bytes, 4, page, ordinal));
  BOOST_TEST(page == "fedcba9876543210");
  BOOST_TEST(ordinal == 0);
  BOOST_TEST(schema::find_docid(bytes, 15, page, ordinal));
  BOOST_TEST(page == "00000000000000ff");
  BOOST_TEST(ordinal == 5);
  // Ids in no run: before the first, in a gap, after the last.
  BOOST_TEST(!schema::find_docid(bytes, 0, page, ordinal));
  BOOST_TEST(!schema::find_docid(bytes, 7, page, ordinal));
  BOOST_TEST(!schema::find_docid(bytes, 21, page, ordinal));
  // Malformed lists.
  BOOST_TEST(!schema::find_docid("", 1, page, ordinal));
  BOOST_TEST(!schema::find_docid(bytes.substr(0, bytes.size() - 1), 1, page, ordinal));
  BOOST_TEST(!schema::decode_docids(bytes.substr(0, bytes.size() - 1), back));
  std::string other = bytes;
  other[0] = static_cast<char>(other[0] + 1);
  BOOST_TEST(!schema::decode_docids(other, back));
  BOOST_TEST(!schema::find_docid(other, 1, page, ordinal));
  BOOST_TEST(schema::decode_docids("", back));
  BOOST_TEST(back.empty());
}

BOOST_AUTO_TEST_CASE(page_ids_and_page_terms) {
  const std::string id = schema::page_id("/srv/site/a.md");
  BOOST_TEST(id.size() == 16u);
  BOOST_TEST(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  BOOST_TEST(schema::page_id("/srv/site/a.md") == id);
  BOOST_TEST(schema::page_id("/srv/site/b.md") != id);
  BOOST_TEST(schema::page_term("0123456789abcdef", 0) == "XP0123456789abcdef.0");
  BOOST_TEST(schema::page_term("0123456789abcdef", 42) == "XP0123456789abcdef.42");
  BOOST_TEST(schema::page_term(id, 1).rfind(std::string(schema::kPage), 0) == 0u);
}

BOOST_AUTO_TEST_CASE(ordinal_keys_sort_as_numbers) {
  const std::vector<int> ordinals{0, 1, 9, 10, 255, 256, 65535, 65536, 1 << 24, 0x7FFFFFFF};
  for (std::size_t i = 0; i < ordinals.size(); ++i) {
    const std::string key = schema::ordinal_key(ordinals[i]);
    BOOST_TEST(key.size() == 4u);
    int back = -1;
    BOOST_TEST(schema::ordinal_from_key(key, back));
    BOOST_TEST(back == ordinals[i]);
    // Byte order, as Xapian sorts values (std::string compares bytes unsigned).
    if (i > 0) BOOST_TEST((schema::ordinal_key(ordinals[i - 1]) < key), ordinals[i]);
  }
  int back = 0;
  BOOST_TEST(!schema::ordinal_from_key("", back));
  BOOST_TEST(!schema::ordinal_from_key("abc", back));
  BOOST_TEST(!schema::ordinal_from_key("abcde", back));
  BOOST_TEST(!schema::ordinal_from_key("\x80\0\0\0", back));  // over INT_MAX
  BOOST_TEST(!schema::ordinal_from_key(std::string_view("\x80\0\0\0", 4), back));
}

BOOST_AUTO_TEST_CASE(normalized_wdf_follows_the_length) {
  // At the reference length the weight is just scaled.
  BOOST_TEST(schema::normalized_wdf(1, 32) == schema::kWdfScale);
  BOOST_TEST(schema::normalized_wdf(schema::kLabelWdf, 32) ==
             schema::kWdfScale * schema::kLabelWdf);
  // (1 - b) + b * 0 / 32 = 0.5: an empty heading doubles the weight.
  BOOST_TEST(schema::normalized_wdf(1, 0) == 2 * schema::kWdfScale);
  // round(8 * 1 / (0.5 + 0.5 * 96 / 32)) = round(4) = 4.
  BOOST_TEST(schema::normalized_wdf(1, 96) == 4u);
  // round(8 / (0.5 + 0.5 * 48 / 32)) = round(6.4) = 6.
  BOOST_TEST(schema::normalized_wdf(1, 48) == 6u);
  // Never below 1, however long the heading.
  BOOST_TEST(schema::normalized_wdf(1, 100000) == 1u);
  BOOST_TEST(schema::normalized_wdf(0, 32) == 1u);
  // Longer headings never weigh a word more.
  for (unsigned len = 1; len < 200; ++len)
    BOOST_TEST(schema::normalized_wdf(3, len) >= schema::normalized_wdf(3, len + 1), len);
}

BOOST_AUTO_TEST_CASE(terms_are_capped_at_a_character_boundary) {
  const std::string short_term = "Zspace";
  BOOST_TEST(schema::cap_term(short_term) == short_term);
  const std::string exact(schema::kMaxTermBytes, 'a');
  BOOST_TEST(schema::cap_term(exact) == exact);
  BOOST_TEST(schema::cap_term(exact + "b") == exact);
  // "é" is two bytes: 199 ASCII bytes and a two-byte character do not fit in
  // 200, and the character is not cut in half.
  const std::string split = std::string(schema::kMaxTermBytes - 1, 'a') + "\xC3\xA9";
  BOOST_TEST(schema::cap_term(split) == std::string(schema::kMaxTermBytes - 1, 'a'));
  const std::string euro = "\xE2\x82\xAC";  // three bytes
  std::string many;
  while (many.size() < 2 * schema::kMaxTermBytes) many += euro;
  const std::string capped = schema::cap_term(many);
  BOOST_TEST(capped.size() <= schema::kMaxTermBytes);
  BOOST_TEST(capped.size() % 3 == 0u);
  BOOST_TEST(capped.size() > schema::kMaxTermBytes - 3);
}

BOOST_AUTO_TEST_CASE(whole_label_terms) {
  BOOST_TEST(schema::whole_label_term({"debri", "mitig"}) == "XAdebri mitig");
  BOOST_TEST(schema::whole_label_term({"space"}) == "XAspace");
  BOOST_TEST(schema::whole_label_term({}) == "XA");
  const std::vector<std::string> long_label(100, "word");
  const std::string t = schema::whole_label_term(long_label);
  BOOST_TEST(t.size() <= schema::kMaxTermBytes);
  BOOST_TEST(t.rfind("XAword word", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(section_numbers_lose_trailing_dots) {
  BOOST_TEST(schema::normalize_number("3.2.") == "3.2");
  BOOST_TEST(schema::normalize_number("3.2") == "3.2");
  BOOST_TEST(schema::normalize_number("1.") == "1");
  BOOST_TEST(schema::normalize_number("1...") == "1");
  BOOST_TEST(schema::normalize_number(".") == "");
  BOOST_TEST(schema::normalize_number("") == "");
  BOOST_TEST(schema::normalize_number("A.1") == "A.1");
}

BOOST_AUTO_TEST_CASE(default_anchors_are_hugos) {
  schema::HeadingData h;
  h.number = "3.2";
  h.label = "Security Interests";
  BOOST_TEST(schema::default_anchor(h) == "32-security-interests");
  h.keywords = "space, defence";
  BOOST_TEST(schema::default_anchor(h) == "32-security-interests-space-defence");
  h.number.clear();
  h.keywords.clear();
  BOOST_TEST(schema::default_anchor(h) == "security-interests");
}

BOOST_AUTO_TEST_SUITE_END()
