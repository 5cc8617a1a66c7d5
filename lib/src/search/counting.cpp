// SPDX-License-Identifier: MIT
// Running a search step's query and counting what it matches: BM25 and its
// parameters, grouping by page or branch, how far matches are counted for
// totals people can page with, grouped totals, and facets.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "format/schema.h"
#include "search/search_run.h"

namespace taxon::search {
namespace {

// BM25 parameters, tuned on the relevance suite (tests/relevance). Length
// normalisation (b) is in the stored wdfs (schema::normalized_wdf), so the
// query side runs BM25 with b = 0 and k1 on the same scale as those wdfs.
constexpr double kK1 = 1.2 * schema::kWdfScale;
// Totals are estimated from at least this many matches, and exact below it.
constexpr std::size_t kCheckAtLeast = 2000;

std::vector<FacetCount> largest_first(const std::map<std::string, std::size_t>& m) {
  std::vector<FacetCount> v;
  v.reserve(m.size());
  for (const auto& [k, n] : m) v.push_back({k, n});
  std::stable_sort(v.begin(), v.end(),
                   [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  return v;
}

// The term whose posting list is the whole match set of `q` (its weight
// aside): a term, or one that optional terms only add weight to. Empty when
// there is none.
std::string sole_term(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      return q.get_terms_begin() == q.get_terms_end() ? std::string() : *q.get_terms_begin();
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return q.get_num_subqueries() == 0 ? std::string() : sole_term(q.get_subquery(0));
    default:
      return {};
  }
}

// The most hidden runs term_count walks; past them the matches are counted.
constexpr std::size_t kMaxRunsWalked = 256;

// How many live headings `q` matches, counted without walking the matches:
// when its match set is one term's posting list (a one-word query in an
// index of one stemming language), the term's frequency less the hidden
// documents that hold it, found by walking each shard's hidden runs in the
// term's posting list. Lucene's IndexSearcher.count takes a term query's
// document frequency the same way, on a segment with no deletions. Empty
// when it cannot be told so: another shape of query, or hidden documents
// on a remote shard (whose posting lists come whole) or in many runs.
std::optional<Xapian::doccount> term_count(const SearcherState& im, const Xapian::Query& q) {
  const std::string term = sole_term(q);
  if (term.empty()) return std::nullopt;
  Xapian::doccount n = im.db.get_termfreq(term);
  if (im.hidden_docs == 0 || n == 0) return n;
  if (im.remote || !im.hidden_runs) return std::nullopt;
  // Each shard's runs as the posting source that hides them finds them.
  std::vector<const HiddenRuns::Runs*> runs_of;
  std::size_t runs = 0;
  for (const auto& shard : im.shards) {
    const HiddenRuns::Shard* known = im.hidden_runs->find(shard);
    if (!known) return std::nullopt;
    runs_of.push_back(&known->runs);
    runs += known->runs.size();
  }
  if (runs > kMaxRunsWalked) return std::nullopt;
  for (std::size_t k = 0; k < im.shards.size(); ++k) {
    const Xapian::Database& shard = im.shards[k];
    const auto end = shard.postlist_end(term);
    auto p = shard.postlist_begin(term);
    for (const auto& [first, last] : *runs_of[k]) {
      p.skip_to(first);
      for (; p != end && *p <= last; ++p) --n;
      if (p == end) break;
    }
  }
  return n;
}

}  // namespace

bool SearchRun::Found::nothing() const {
  return total ? *total == 0 : mset.empty() && mset.get_matches_lower_bound() == 0;
}

Xapian::doccount SearchRun::Found::estimated() const {
  return total ? *total : mset.get_matches_estimated();
}

bool SearchRun::Found::exact() const {
  return total || mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
}

void SearchRun::set_up_enquire() {
  enquire_.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, 0, 0.5));
  if (options_.group == GroupBy::Page) enquire_.set_collapse_key(schema::kSlotPage);
  if (options_.group == GroupBy::Branch) enquire_.set_collapse_key(schema::kSlotBranch);
  // Totals people can page with: the estimate is made from at least this
  // many matches (exact below it), whatever the page size.
  check_at_least_ = static_cast<Xapian::doccount>(
      std::max<std::size_t>(options_.offset + options_.limit, options_.count ? kCheckAtLeast : 0));
}

// Every search counts the same way, fallbacks too, so that a total never
// depends on the page asked for (a most-words search counted only to
// offset + limit was off by more than 10% for a third of the benchmark's
// fallback queries, and was no faster). A total counted apart is exact, and
// the match then stops at the page: counting to check_at_least_ keeps
// Xapian from skipping the headings that cannot reach the page.
SearchRun::Found SearchRun::run(const Xapian::Query& query) {
  Found f;
  const bool all = options_.facets || options_.exact_total;
  if (options_.count && !all && options_.group == GroupBy::None) f.total = term_count(im_, query);
  enquire_.set_query(im_.live(query));
  enquire_.clear_matchspies();
  if (options_.facets) enquire_.add_matchspy(&spy_.emplace(schema::kSlotPage));
  Xapian::doccount check = check_at_least_;
  if (f.total) check = static_cast<Xapian::doccount>(options_.offset + options_.limit);
  if (all) check = im_.db.get_doccount();
  f.mset = enquire_.get_mset(static_cast<Xapian::doccount>(options_.offset),
                             static_cast<Xapian::doccount>(options_.limit), check);
  return f;
}

// Grouped, each group's matches are counted in a run without grouping, as
// far as matches are counted (all of them with facets or an exact total):
// Xapian's collapse counts are lower bounds, its totals of groups
// estimates, and its remote backend returns no collapse counts at all. So
// up to that many matches a grouped total is the exact number of groups,
// the same over local and remote shards; beyond, it is Xapian's estimate.
std::optional<GroupSizes> SearchRun::count_groups() {
  Xapian::Enquire all(im_.db);
  all.set_query(im_.live(q_));
  all.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::ValueCountMatchSpy keys(options_.group == GroupBy::Page ? schema::kSlotPage
                                                                  : schema::kSlotBranch);
  all.add_matchspy(&keys);
  const Xapian::MSet counted = all.get_mset(
      0, 0, (options_.facets || options_.exact_total) ? im_.db.get_doccount() : check_at_least_);
  if (counted.get_matches_lower_bound() != counted.get_matches_upper_bound() ||
      keys.get_total() != counted.get_matches_lower_bound())
    return std::nullopt;
  std::optional<GroupSizes> sizes;
  sizes.emplace();
  for (auto v = keys.values_begin(); v != keys.values_end(); ++v) (*sizes)[*v] = v.get_termfreq();
  res_.estimated_total = sizes->size();
  res_.total_is_exact = true;
  return sizes;
}

// The hits' categories, tags and pages, from the spy's count of hits a page.
void SearchRun::count_facets() {
  std::map<std::string, std::size_t> cats, tags, pages;
  for (auto v = spy_->values_begin(); v != spy_->values_end(); ++v) {
    const std::size_t n = v.get_termfreq();
    const PageRecord* p = im_.page(*v);
    if (!p) continue;
    for (const auto& c : p->info().categories) cats[c] += n;
    for (const auto& t : p->info().tags) tags[t] += n;
    pages[p->info().path] += n;
  }
  res_.facets["category"] = largest_first(cats);
  res_.facets["tag"] = largest_first(tags);
  res_.facets["page"] = largest_first(pages);
}

void SearchRun::collect() {
  std::optional<GroupSizes> group_sizes;
  if (options_.group != GroupBy::None && options_.count && !found_.nothing())
    group_sizes = count_groups();
  add_hits(im_, found_.mset, options_, group_sizes ? &*group_sizes : nullptr, res_.hits);
  if (options_.facets) count_facets();
}

}  // namespace taxon::search
