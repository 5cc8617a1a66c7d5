// SPDX-License-Identifier: MIT
// What the search side reads of an opened index besides posting lists: the
// page records (a hit's text, breadcrumb and link), each shard's list of
// which page and ordinal a document id is, its hidden documents, its
// languages, and the stop words of the query languages.
#include <algorithm>
#include <set>
#include <utility>

#include "analysis/stopwords.h"
#include "format/layout.h"
#include "format/schema.h"
#include "index/settings.h"
#include "search/state.h"
#include "taxon/error.h"
#include "util/text.h"

namespace taxon::search {

std::size_t PageCache::footprint(const std::string& id, const PageRecord& r) {
  // The entry beyond the record, its list and map nodes, and the id twice.
  return sizeof(Entry) - sizeof(PageRecord) + r.footprint() + 4 * sizeof(void*) +
         2 * (sizeof(std::string) + heap_bytes(id));
}

void PageCache::set_budget(std::size_t budget) {
  budget_ = budget;
  trim();
}

const PageRecord* PageCache::find(const std::string& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return &it->second->data;
}

const PageRecord* PageCache::add(const std::string& id, schema::PageData&& d) {
  if (const auto it = by_id_.find(id); it != by_id_.end()) {
    bytes_ -= it->second->bytes;
    entries_.erase(it->second);
    by_id_.erase(it);
  }
  entries_.push_front(Entry{id, PageRecord(std::move(d)), 0});
  entries_.front().bytes = footprint(id, entries_.front().data);
  by_id_.emplace(id, entries_.begin());
  bytes_ += entries_.front().bytes;
  trim();
  return &entries_.front().data;
}

void PageCache::trim() {
  while (bytes_ > budget_ && entries_.size() > 1) {
    bytes_ -= entries_.back().bytes;
    by_id_.erase(entries_.back().id);
    entries_.pop_back();
  }
}

void PageCache::clear() {
  entries_.clear();
  by_id_.clear();
  bytes_ = 0;
}

void SearcherState::unreadable_lists(std::size_t k) const {
  throw Error(
      ErrorCode::IndexCorrupt,
      path + ": unreadable list of document ids in shard " + std::to_string(positions[k] + 1),
      "rebuild it with: taxon-index --rebuild", path);
}

void SearcherState::load_runs() {
  hidden_terms.clear();
  hidden_docs = 0;
  docids.assign(shards.size(), {});
  docids_loaded.assign(shards.size(), false);
  auto known = std::make_shared<HiddenRuns>();
  for (std::size_t k = 0; k < shards.size(); ++k) {
    std::vector<schema::DocRun> runs;
    if (!schema::decode_runs(shards[k].get_metadata(std::string(schema::kMetaHidden)), runs))
      unreadable_lists(k);
    if (shard_names[k].empty()) {  // local: remote shards run no code of ours
      HiddenRuns::Shard& s = known->shards.emplace_back();
      s.uuid = shards[k].get_uuid();
      s.revision = shards[k].get_revision();
      s.runs = HiddenRuns::sorted(runs, s.count);
    }
    for (auto& r : runs) {
      hidden_docs += r.last - r.first + 1;
      hidden_terms.push_back(std::move(r.name));
    }
  }
  hidden_runs = std::move(known);
}

// The index's default language (the "lang" setting of its last run), as
// IndexOptions has it for an index that records none.
std::string SearcherState::default_language() {
  for (auto& shard : shards)
    if (auto o =
            index::options_from_settings(shard.get_metadata(std::string(schema::kMetaSettings))))
      return o->default_lang;
  return IndexOptions{}.default_lang;
}

void SearcherState::load_languages() {
  const std::string lang = default_language();
  std::string stemmer = Analyzer::stemmer_language(lang);
  if (stemmer.empty()) stemmer = "none";
  if (stemmer != unstemmed_as) {
    unstemmed_as = std::move(stemmer);
    analyzer = Analyzer(lang);
  }
  std::set<std::string> names;
  std::set<std::string> codes;
  for (auto& shard : shards) {
    const std::string list = shard.get_metadata(std::string(schema::kMetaLanguages));
    std::size_t i = 0;
    while (i < list.size()) {
      std::size_t j = list.find(',', i);
      if (j == std::string::npos) j = list.size();
      const std::string code = list.substr(i, j - i);
      if (std::string l = Analyzer::stemmer_language(code); !l.empty()) names.insert(l);
      if (!code.empty()) codes.insert(util::ascii_lower(code));
      i = j + 1;
    }
  }
  codes_by_stemmer.clear();
  docs_by_code.clear();
  for (const auto& c : codes) {
    docs_by_code[c] = db.get_termfreq(std::string(schema::kLang) + c);
    const std::string l = Analyzer::stemmer_language(c);
    if (l.empty()) names.insert(unstemmed_as);
    codes_by_stemmer[l.empty() ? unstemmed_as : l].push_back(c);
  }
  languages.assign(names.begin(), names.end());
  if (languages.empty()) languages.push_back(unstemmed_as);
}

bool SearcherState::locate(Xapian::docid did, std::string& page_id, int& ordinal) {
  if (did == 0 || shards.empty()) return false;
  const std::size_t k = (did - 1) % shards.size();
  const Xapian::docid local = (did - 1) / static_cast<Xapian::docid>(shards.size()) + 1;
  if (!docids_loaded[k]) {
    docids[k] = shards[k].get_metadata(std::string(schema::kMetaDocIds));
    docids_loaded[k] = true;
  }
  return schema::find_docid(docids[k], local, page_id, ordinal);
}

bool SearcherState::heading(Xapian::docid did, schema::HeadingData& out,
                            const PageRecord** page_out) {
  std::string id;
  int ordinal = 0;
  if (!locate(did, id, ordinal)) return false;
  const PageRecord* p = page(id);
  if (!p || !p->heading(id, ordinal, out)) return false;
  if (page_out) *page_out = p;
  return true;
}

const PageRecord* SearcherState::page(const std::string& id) {
  if (const PageRecord* cached = page_cache.find(id)) return cached;
  const std::string key = std::string(schema::kMetaPagePrefix) + id;
  schema::PageData d;
  // Its own shard first; a merged or hand-made stub may hold it elsewhere.
  const std::size_t home = format::shard_of(id, listed_count);
  const auto at = std::find(positions.begin(), positions.end(), home);
  bool found =
      at != positions.end() &&
      schema::decode(shards[static_cast<std::size_t>(at - positions.begin())].get_metadata(key), d);
  for (std::size_t i = 0; !found && i < shards.size(); ++i)
    found = schema::decode(shards[i].get_metadata(key), d);
  if (!found) return nullptr;
  return page_cache.add(id, std::move(d));
}

void SearcherState::load_all_pages() {
  if (all_pages_loaded) return;
  const std::string prefix(schema::kMetaPagePrefix);
  for (auto& shard : shards) {
    for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) {
      std::string id = (*it).substr(prefix.size());
      if (page_list.contains(id)) continue;
      schema::PageData d;
      if (schema::decode(shard.get_metadata(*it), d, false)) page_list.emplace(id, std::move(d));
    }
  }
  all_pages_loaded = true;
}

const std::string& SearcherState::folded_title(const std::string& id, const std::string& title) {
  auto it = folded_titles.find(id);
  if (it == folded_titles.end()) it = folded_titles.emplace(id, analyzer.fold(title)).first;
  return it->second;
}

const std::set<std::string>& SearcherState::stop_words(const std::vector<std::string>& langs) {
  auto it = stop_cache.find(langs);
  if (it != stop_cache.end()) return it->second;
  std::set<std::string> out;
  for (const auto& l : langs)
    for (auto& w : analyzer.words(analysis::stopword_list(l))) out.insert(std::move(w));
  return stop_cache.emplace(langs, std::move(out)).first->second;
}

}  // namespace taxon::search
