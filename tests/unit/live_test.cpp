// SPDX-License-Identifier: MIT
// Leaving out hidden documents (search/live.h): a posting source finds its
// shard's runs among those read at opening only when the shard is the one
// they were read from, and otherwise reads them itself.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "../temp_dir.h"
#include "format/schema.h"
#include "search/live.h"

using taxon::search::HiddenRuns;
using taxon::search::HiddenSource;

namespace {

// A shard of `docs` documents whose hidden runs are `runs`.
void make_shard(const std::filesystem::path& dir, unsigned docs,
                const std::vector<taxon::schema::DocRun>& runs) {
  Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE);
  for (unsigned i = 0; i < docs; ++i) {
    Xapian::Document d;
    d.add_term("Zword");
    db.add_document(d);
  }
  db.set_metadata(std::string(taxon::schema::kMetaHidden), taxon::schema::encode_runs(runs));
  db.commit();
}

HiddenRuns::Shard known(const Xapian::Database& db,
                        const std::vector<taxon::schema::DocRun>& runs) {
  HiddenRuns::Shard s;
  s.uuid = db.get_uuid();
  s.revision = db.get_revision();
  s.runs = HiddenRuns::sorted(runs, s.count);
  return s;
}

// The documents `q` matches with the hidden ones left out, as live_only does.
std::vector<Xapian::docid> matched_live(const Xapian::Database& db,
                                        std::shared_ptr<const HiddenRuns> k) {
  Xapian::Enquire e(db);
  e.set_query(taxon::search::live_only(Xapian::Query("Zword"), {"hidden"}, false, std::move(k)));
  std::vector<Xapian::docid> out;
  const Xapian::MSet m = e.get_mset(0, 100);
  for (auto it = m.begin(); it != m.end(); ++it) out.push_back(*it);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hidden_runs)

BOOST_AUTO_TEST_CASE(a_shard_is_found_by_its_uuid_and_revision_once) {
  const taxon::test::TempDir t;
  make_shard(t.path() / "a", 5, {{"Pa", 2, 3}});
  make_shard(t.path() / "b", 5, {});
  Xapian::Database a((t.path() / "a").string()), b((t.path() / "b").string());
  HiddenRuns runs;
  runs.shards.push_back(known(a, {{"Pa", 2, 3}}));
  BOOST_TEST(runs.find(a) == &runs.shards[0]);
  BOOST_TEST(runs.find(b) == nullptr);
  // Another revision of the shard: its runs may have changed.
  {
    Xapian::WritableDatabase w((t.path() / "a").string());
    w.add_document(Xapian::Document());
    w.commit();
  }
  BOOST_TEST(runs.find(Xapian::Database((t.path() / "a").string())) == nullptr);
  // A copied shard shares its original's UUID: neither is told apart.
  std::filesystem::copy(t.path() / "b", t.path() / "c");
  Xapian::Database c((t.path() / "c").string());
  runs.shards.push_back(known(b, {}));
  runs.shards.push_back(known(c, {}));
  BOOST_TEST(runs.find(b) == nullptr);
}

BOOST_AUTO_TEST_CASE(hidden_documents_are_left_out_with_or_without_the_runs_read) {
  const taxon::test::TempDir t;
  make_shard(t.path() / "a", 5, {{"Pa", 2, 3}});
  Xapian::Database a((t.path() / "a").string());
  auto runs = std::make_shared<HiddenRuns>();
  runs->shards.push_back(known(a, {{"Pa", 2, 3}}));
  const std::vector<Xapian::docid> want{1, 4, 5};
  BOOST_TEST(matched_live(a, runs) == want, boost::test_tools::per_element());
  BOOST_TEST(matched_live(a, nullptr) == want, boost::test_tools::per_element());
  // The runs read at opening are the ones walked: runs that differ from the
  // shard's metadata show it.
  auto stale = std::make_shared<HiddenRuns>();
  stale->shards.push_back(known(a, {{"Pa", 4, 4}}));
  BOOST_TEST(matched_live(a, stale) == (std::vector<Xapian::docid>{1, 2, 3, 5}),
             boost::test_tools::per_element());
  // Runs read from another shard are not taken for this one's.
  auto other = std::make_shared<HiddenRuns>();
  make_shard(t.path() / "b", 5, {{"Pb", 1, 1}});
  other->shards.push_back(known(Xapian::Database((t.path() / "b").string()), {{"Pb", 1, 1}}));
  BOOST_TEST(matched_live(a, other) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
