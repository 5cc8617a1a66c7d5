// SPDX-License-Identifier: MIT
// under:3.2, under:"Security Interests", under:"Strategic Objectives/Security
// Interests": the subtrees of the headings a section number, a label or a
// breadcrumb names, each its page's term and an ordinal range. The headings
// are found through number or label terms, then checked against their
// page's record.
#include "format/schema.h"
#include "search/fields.h"
#include "util/text.h"

namespace taxon::search {
namespace {

// One crumb of an under: value: an optional section number, then a label
// (folded).
struct Want {
  std::string number, label;
};

// The crumbs of a value, split at '/', '>' and '›'.
std::vector<std::string> split_crumbs(const std::string& value) {
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&] {
    std::string t(util::trim(cur));
    if (!t.empty()) parts.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '/' || value[i] == '>') {
      flush();
    } else if (value.compare(i, 3, "\u203a") == 0) {
      flush();
      i += 2;
    } else {
      cur += value[i];
    }
  }
  flush();
  return parts;
}

// Each crumb: optional number, then label.
std::vector<Want> read_crumbs(const std::vector<std::string>& parts, Analyzer& analyzer) {
  std::vector<Want> chain;
  for (const auto& p : parts) {
    Want w;
    std::size_t k = 0;
    while (k < p.size() && ((p[k] >= '0' && p[k] <= '9') || p[k] == '.')) ++k;
    if (k > 0 && (k == p.size() || p[k] == ' ') && p.find_first_of("0123456789") < k) {
      w.number = schema::normalize_number(p.substr(0, k));
      w.label = analyzer.fold(p.substr(k));
    } else {
      w.label = analyzer.fold(p);
    }
    chain.push_back(std::move(w));
  }
  return chain;
}

bool matches(Analyzer& analyzer, const Want& w, const std::string& number,
             const std::string& label) {
  if (!w.number.empty() && schema::normalize_number(number) != w.number) return false;
  if (!w.label.empty() && analyzer.fold(label) != w.label) return false;
  return true;
}

// Whether the crumbs before the last are heading `d`'s nearest ancestors, in
// order.
bool ancestors_match(SearcherState& s, const std::vector<Want>& chain,
                     const schema::HeadingData& d) {
  if (chain.size() == 1) return true;
  const PageRecord* page = s.page(d.page_id);
  const std::vector<int> up = page ? page->ancestors(d.ordinal) : std::vector<int>{};
  bool ok = chain.size() - 1 <= up.size();
  for (std::size_t k = 0; ok && k + 1 < chain.size(); ++k) {
    const auto a = static_cast<std::size_t>(up[up.size() - (chain.size() - 1) + k]);
    ok = matches(s.analyzer, chain[k], std::string(page->number(a)), std::string(page->label(a)));
  }
  return ok;
}

}  // namespace

Xapian::Query UnderField::build(const std::string& value) {
  const std::vector<std::string> parts = split_crumbs(value);
  if (parts.empty()) return errors_.fail("under: needs a section number, a label or a breadcrumb");
  const std::vector<Want> chain = read_crumbs(parts, s_.analyzer);
  const Want& last = chain.back();
  // Candidates: headings with that number, or with every word of that
  // label in their label; each is then checked against its stored data.
  std::vector<Xapian::Query> seeds;
  if (!last.number.empty()) seeds.emplace_back(std::string(schema::kNumber) + last.number);
  for (const auto& w : s_.analyzer.words(last.label))
    seeds.emplace_back(std::string(schema::kLabel) + w);
  if (seeds.empty()) return Xapian::Query::MatchNothing;
  Xapian::Enquire candidates(s_.db);
  candidates.set_query(s_.live(Xapian::Query(Xapian::Query::OP_AND, seeds.begin(), seeds.end())));
  candidates.set_weighting_scheme(Xapian::BoolWeight());
  candidates.set_docid_order(Xapian::Enquire::ASCENDING);
  Xapian::MSet found = candidates.get_mset(0, 100000);
  std::vector<Xapian::Query> branches;
  for (auto it = found.begin(); it != found.end(); ++it) {
    schema::HeadingData d;
    if (!s_.heading(*it, d)) continue;
    if (!matches(s_.analyzer, last, d.number, d.label)) continue;
    const bool ok = ancestors_match(s_, chain, d);
    // The subtree: this page's headings from this one to its last descendant.
    const PageRecord* page = ok ? s_.page(d.page_id) : nullptr;
    if (page)
      branches.emplace_back(
          Xapian::Query::OP_FILTER,
          Xapian::Query(schema::page_term(d.page_id, page->info().version)),
          Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrdinal,
                        schema::ordinal_key(d.ordinal), schema::ordinal_key(d.last)));
  }
  if (branches.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
}

}  // namespace taxon::search
