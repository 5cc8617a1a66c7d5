// SPDX-License-Identifier: MIT
// The rewriting of query text before Xapian's QueryParser sees it
// (lib/src/search/query_text.h): words folded as pages are, operators,
// quotes and field values left alone, wildcards and hidden field values
// marked, and the limits checked before anything is parsed.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "search/query_text.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"

namespace search = taxon::search;
using Fields = std::set<std::string, std::less<>>;
using Strings = std::vector<std::string>;

namespace {

const Fields kFields{"label", "keywords", "under", "page", "tag", "category", "lang", "level"};

std::string normalize(std::string_view q) {
  taxon::Analyzer a;
  return search::normalize_query(q, a, kFields);
}

bool bad_query(std::string_view q) {
  try {
    normalize(q);
  } catch (const taxon::Error& e) {
    return e.code() == taxon::ErrorCode::BadQuery;
  }
  return false;
}

taxon::QueryLimits small_limits() {
  taxon::QueryLimits l;
  l.max_words = 4;
  l.max_depth = 2;
  l.max_under_page = 1;
  l.max_wildcards = 2;
  return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(query_text)

BOOST_AUTO_TEST_CASE(operators_are_upper_case_words) {
  for (const char* op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ", "NEAR/3", "ADJ/12"})
    BOOST_TEST(search::is_operator(op), op);
  for (const char* word : {"and", "Or", "near", "NEAR/", "OR/2", "NOT/2", "ANDY", "", "XAND"})
    BOOST_TEST(!search::is_operator(word), word);
}

BOOST_AUTO_TEST_CASE(free_text_is_folded_as_pages_are) {
  BOOST_TEST(normalize("Café CRÈME") == "cafe creme");
  BOOST_TEST(normalize("  space \t\n debris  ") == "space debris");
  BOOST_TEST(normalize("Straße") == "strasse");
  // Punctuation splits words as it does in pages.
  BOOST_TEST(normalize("space-debris") == "space debris");
  BOOST_TEST(normalize("") == "");
  BOOST_TEST(normalize("   ") == "");
}

BOOST_AUTO_TEST_CASE(operators_quotes_and_markers_pass_through) {
  BOOST_TEST(normalize("Space AND (Débris OR Junk) NOT Treaty") ==
             "space AND (debris OR junk) NOT treaty");
  BOOST_TEST(normalize("space NEAR/3 debris") == "space NEAR/3 debris");
  // Lower-case operators are words like any other.
  BOOST_TEST(normalize("space and debris") == "space and debris");
  BOOST_TEST(normalize("+Space -Débris") == "+space -debris");
  BOOST_TEST(normalize("\"Armed Conflict\"") == "\"armed conflict\"");
  BOOST_TEST(normalize("Miti*") == "miti*");
  BOOST_TEST(normalize("miti**") == "miti*");
  // A wildcard of nothing is dropped with its word.
  BOOST_TEST(normalize("space *") == "space");
}

BOOST_AUTO_TEST_CASE(field_values_stay_raw) {
  BOOST_TEST(normalize("label:Débris Space") == "label:Débris space");
  BOOST_TEST(normalize("under:\"Strategic Objectives/Security Interests\" Débris") ==
             "under:\"Strategic Objectives/Security Interests\" debris");
  BOOST_TEST(normalize("tag:International level:2..3") == "tag:International level:2..3");
  // An unclosed quoted value is closed.
  BOOST_TEST(normalize("label:\"Debris Mitigation") == "label:\"Debris Mitigation\"");
  // A prefix that is no field is text.
  BOOST_TEST(normalize("Nofield:Value") == "nofield value");
}

BOOST_AUTO_TEST_CASE(field_without_value_is_a_bad_query) {
  BOOST_TEST(bad_query("label:"));
  BOOST_TEST(bad_query("space under:"));
  BOOST_TEST(bad_query("under: space"));
  BOOST_TEST(!bad_query("under:\"\""));
  BOOST_TEST(!bad_query("nofield:"));
}

BOOST_AUTO_TEST_CASE(wildcards_become_the_wildcard_field) {
  const std::string w(search::kWildcardField);
  BOOST_TEST(search::mark_wildcards("miti*", false) == w + ":miti");
  BOOST_TEST(search::mark_wildcards("space deb", false) == "space deb");
  BOOST_TEST(search::mark_wildcards("(space deb*)", false) == "(space " + w + ":deb)");
  BOOST_TEST(search::mark_wildcards("-deb* +sp*", false) == "-" + w + ":deb +" + w + ":sp");
  // Search as you type: the last word too.
  BOOST_TEST(search::mark_wildcards("space deb", true) == "space " + w + ":deb");
  // A token of closing parentheses has no word (found by the fuzzer: it was
  // read as an empty word, and its last byte before the string).
  BOOST_TEST(search::mark_wildcards("(space is )", true) == "(space is )");
  BOOST_TEST(search::mark_wildcards(")", true) == ")");
  // Never in quotes, field values or operators, nor after NEAR and ADJ.
  BOOST_TEST(search::mark_wildcards("\"space deb*\"", false) == "\"space deb*\"");
  BOOST_TEST(search::mark_wildcards("\"space deb\"", true) == "\"space deb\"");
  BOOST_TEST(search::mark_wildcards("label:deb*", false) == "label:deb*");
  BOOST_TEST(search::mark_wildcards("space AND", true) == "space AND");
  BOOST_TEST(search::mark_wildcards("space NEAR deb", true) == "space NEAR deb");
  BOOST_TEST(search::mark_wildcards("space ADJ/2 deb", true) == "space ADJ/2 deb");
  BOOST_TEST(search::mark_wildcards("", true) == "");
}

BOOST_AUTO_TEST_CASE(field_values_are_hidden_and_decoded) {
  const Fields fields{"label", "keywords"};
  const std::string hidden = search::hide_field_values("label:\"debris mitigation\" space", fields);
  BOOST_TEST(hidden == "label:h646562726973206d697469676174696f6e space");
  BOOST_TEST(search::decode_field_value("h646562726973206d697469676174696f6e") ==
             "debris mitigation");
  BOOST_TEST(search::hide_field_values("(label:deb* OR keywords:x)", fields) ==
             "(label:h6465622a OR keywords:h78)");
  BOOST_TEST(search::hide_field_values("-label:x", fields) == "-label:h78");
  // Other fields, and a field name inside a word, are left alone.
  BOOST_TEST(search::hide_field_values("under:3.2 tag:x", fields) == "under:3.2 tag:x");
  BOOST_TEST(search::hide_field_values("xlabel:abc", fields) == "xlabel:abc");
  BOOST_TEST(search::hide_field_values("space", fields) == "space");
  // Any bytes survive the round trip.
  const std::string odd = "caf\xC3\xA9 (x) \x01";
  const std::string h = search::hide_field_values("label:\"" + odd + "\" next", fields);
  BOOST_REQUIRE(h.rfind("label:h", 0) == 0u);
  BOOST_REQUIRE(h.ends_with(" next"));
  const std::string value = h.substr(6, h.size() - 6 - 5);
  BOOST_TEST(value.find_first_of(" ()\"") == std::string::npos);
  BOOST_TEST(search::decode_field_value(value) == odd);
  // Tokens that are not hidden values come back as they are.
  for (const char* token : {"space", "h", "h6", "hzz", "h6g", "H41", ""})
    BOOST_TEST(search::decode_field_value(token) == (std::string(token) == "h" ? "" : token),
               token);
}

BOOST_AUTO_TEST_CASE(window_operators_take_plain_words) {
  BOOST_TEST(search::window_op_beside_non_word("space NEAR deb*", kFields));
  BOOST_TEST(search::window_op_beside_non_word("deb* ADJ space", kFields));
  BOOST_TEST(search::window_op_beside_non_word("space NEAR/2 label:x", kFields));
  BOOST_TEST(search::window_op_beside_non_word("(space NEAR label:\"a b\")", kFields));
  BOOST_TEST(search::window_op_beside_non_word("-space NEAR debris mitigation", kFields));
  BOOST_TEST(search::window_op_beside_non_word("space ADJ (-debris)", kFields));
  BOOST_TEST(!search::window_op_beside_non_word("+space NEAR debris", kFields));
  BOOST_TEST(!search::window_op_beside_non_word("space NEAR debris", kFields));
  BOOST_TEST(!search::window_op_beside_non_word("space NEAR \"debris mitigation\"", kFields));
  BOOST_TEST(!search::window_op_beside_non_word("deb* OR label:x", kFields));
  BOOST_TEST(!search::window_op_beside_non_word("space NEAR nofield:x", kFields));
  // Inside quotes NEAR is a word.
  BOOST_TEST(!search::window_op_beside_non_word("\"space NEAR\" deb*", kFields));
}

BOOST_AUTO_TEST_CASE(last_plain_word_is_the_one_being_typed) {
  BOOST_TEST(search::last_plain_word("space deb") == "deb");
  BOOST_TEST(search::last_plain_word("deb") == "deb");
  BOOST_TEST(search::last_plain_word("space deb  ") == "deb");
  BOOST_TEST(search::last_plain_word("(space deb)") == "deb");
  BOOST_TEST(search::last_plain_word("+deb") == "deb");
  for (const char* none : {"", "space -deb", "space deb*", "space label:deb", "\"space deb\"",
                           "space \"deb", "space AND", "space NEAR/2"})
    BOOST_TEST(search::last_plain_word(none).empty(), none);
}

BOOST_AUTO_TEST_CASE(field_values_are_listed) {
  BOOST_TEST(search::field_values("under:3.2 space under:\"Security Interests\"", "under") ==
                 (Strings{"3.2", "Security Interests"}),
             boost::test_tools::per_element());
  BOOST_TEST(
      search::field_values("(under:a) -under:b +under:c", "under") == (Strings{"a", "b", "c"}),
      boost::test_tools::per_element());
  BOOST_TEST(search::field_values("xunder:5 page:x", "under").empty());
  BOOST_TEST(search::field_values("under:\"\" under:", "under").empty());
}

BOOST_AUTO_TEST_CASE(parentheses_must_balance_and_nest_shallowly) {
  const auto l = small_limits();
  BOOST_TEST(search::check_query("(a b)", false, l) == "");
  BOOST_TEST(search::check_query("(a", false, l) == "'(' without a matching ')'");
  BOOST_TEST(search::check_query("a)", false, l) == "')' without a matching '('");
  BOOST_TEST(search::check_query("(a)) (b", false, l) == "')' without a matching '('");
  // Parentheses inside quotes are text.
  BOOST_TEST(search::check_query("\"(a\" b", false, l) == "");
  BOOST_TEST(search::check_query("((a))", false, l) == "");
  BOOST_TEST(search::check_query("(((a)))", false, l).find("parentheses nest more than 2") == 0u);
}

BOOST_AUTO_TEST_CASE(word_filter_and_wildcard_limits) {
  const auto l = small_limits();
  BOOST_TEST(search::check_query("a b c d", false, l) == "");
  BOOST_TEST(search::check_query("a b c d e", false, l) == "the query has 5 words: the limit is 4");
  // Operators count as words.
  BOOST_TEST(search::check_query("a AND b OR c", false, l) ==
             "the query has 5 words: the limit is 4");
  BOOST_TEST(search::check_query("under:a", false, l) == "");
  BOOST_TEST(search::check_query("under:a -page:b", false, l) ==
             "the query has 2 under: and page: values: the limit is 1");
  BOOST_TEST(search::check_query("a* b*", false, l) == "");
  BOOST_TEST(search::check_query("a* b* c*", false, l) ==
             "the query has 3 wildcards (words ending in '*'): the limit is 2");
  // With partial the last word is one more wildcard, unless it is an operator.
  BOOST_TEST(search::check_query("a* b* c", false, l) == "");
  BOOST_TEST(search::check_query("a* b* c", true, l).find("3 wildcards") != std::string::npos);
  BOOST_TEST(search::check_query("a* b* AND", true, l) == "");
  // The defaults take what people type.
  BOOST_TEST(search::check_query("(space AND (debris OR junk)) NOT treaty", true,
                                 taxon::QueryLimits{}) == "");
}

BOOST_AUTO_TEST_CASE(queries_are_cut_for_messages) {
  BOOST_TEST(search::cut_for_message("short") == "short");
  const std::string sixty(60, 'a');
  BOOST_TEST(search::cut_for_message(sixty) == sixty);
  BOOST_TEST(search::cut_for_message(sixty + "b") == sixty + "\u2026");
  BOOST_TEST(search::cut_for_message("abcdef", 3) == "abc\u2026");
  // Not inside a character: 40 two-byte characters cut at 61 bytes keep 30.
  std::string e;
  for (int i = 0; i < 40; ++i) e += "\xC3\xA9";
  std::string thirty;
  for (int i = 0; i < 30; ++i) thirty += "\xC3\xA9";
  BOOST_TEST(search::cut_for_message(e, 61) == thirty + "\u2026");
  BOOST_TEST(search::cut_for_message(e, 60) == thirty + "\u2026");
}

BOOST_AUTO_TEST_SUITE_END()
