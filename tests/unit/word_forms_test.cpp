// SPDX-License-Identifier: MIT
// Related word forms through English derivational endings
// (search/word_forms.h): which endings count, and which words of a
// vocabulary are derivations of a query word.
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "../temp_dir.h"
#include "search/word_forms.h"

using taxon::search::english_derivations;
using taxon::search::english_ending;

namespace {

// A vocabulary as the index keeps it: a spelling table of words with the
// number of pages using them (the in-memory backend has no spelling table).
Xapian::WritableDatabase vocabulary(const taxon::test::TempDir& dir,
                                    const std::vector<std::pair<std::string, unsigned>>& words) {
  Xapian::WritableDatabase db((dir.path() / "vocabulary").string(), Xapian::DB_CREATE);
  for (const auto& [w, n] : words) db.add_spelling(w, n);
  db.commit();
  return db;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(word_forms)

BOOST_AUTO_TEST_CASE(endings_are_suffixes_after_at_most_an_alternating_consonant) {
  for (const char* rest : {"", "e", "y", "ion", "sion", "ding", "ved", "f", "tist", "ical", "ness"})
    BOOST_TEST(english_ending(rest), '"' << rest << '"');
  for (const char* rest : {"re", "it", "nal", "th", "xion", "ution"})
    BOOST_TEST(!english_ending(rest), '"' << rest << '"');
}

BOOST_AUTO_TEST_CASE(derivations_share_a_root_and_go_on_with_endings) {
  const taxon::test::TempDir dir;
  auto db = vocabulary(dir, {{"exploding", 3},
                             {"explosive", 2},
                             {"explore", 9},
                             {"exploit", 9},
                             {"explosion", 1},
                             {"scientist", 1},
                             {"science", 4},
                             {"anxious", 1},
                             {"consist", 5},
                             {"pleading", 1},
                             {"relieved", 1},
                             {"party", 7}});
  using V = std::vector<std::string>;
  // Most used first; explore and exploit go on from explo with no ending.
  BOOST_TEST(english_derivations(db, "explosion", 10) == (V{"exploding", "explosive"}),
             boost::test_tools::per_element());
  BOOST_TEST(english_derivations(db, "science", 10) == V{"scientist"},
             boost::test_tools::per_element());
  BOOST_TEST(english_derivations(db, "relief", 10) == V{"relieved"},
             boost::test_tools::per_element());
  // A root of four letters when one word is the root: plea, pleading.
  BOOST_TEST(english_derivations(db, "plea", 10) == V{"pleading"},
             boost::test_tools::per_element());
  // But not when both go on from it: cons|ent, cons|ist; part|y is the root and y.
  BOOST_TEST(english_derivations(db, "consent", 10).empty());
  BOOST_TEST(english_derivations(db, "part", 10) == V{"party"}, boost::test_tools::per_element());
  // anxi is too short a root for anxiety and anxious.
  BOOST_TEST(english_derivations(db, "anxiety", 10).empty());
  // The word itself is left out, and the limit keeps the most used.
  BOOST_TEST(english_derivations(db, "exploding", 1) == V{"explosive"},
             boost::test_tools::per_element());
  // Only words of ASCII letters have derivations.
  BOOST_TEST(english_derivations(db, "explosión", 10).empty());
}

BOOST_AUTO_TEST_SUITE_END()
