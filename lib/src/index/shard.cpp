// SPDX-License-Identifier: MIT
// The writes a page makes to its shard, and the shard's commit. Spelling
// counts and the document lists change in memory and reach Xapian once per
// commit: one add_spelling() a word a page costs more than the documents.
#include "index/shard.h"

#include <algorithm>
#include <set>
#include <utility>

#include "index/merge.h"
#include "index/tables.h"
#include "taxon/error.h"
#include "util/text.h"

namespace taxon::index {

void load_runs(Shard& sh, const std::string& db_path) {
  std::vector<schema::DocRun> located;
  if (!schema::decode_runs(sh.db.get_metadata(std::string(schema::kMetaHidden)), sh.hidden) ||
      !schema::decode_docids(sh.db.get_metadata(std::string(schema::kMetaDocIds)), located))
    throw Error(ErrorCode::IndexCorrupt, sh.path + ": unreadable list of document ids",
                "rebuild it with: taxon-index --rebuild", db_path);
  sh.located.clear();
  for (auto& r : located) sh.located.emplace(r.first, std::move(r));
}

void load_shard(Shard& sh, const std::string& db_path) {
  load_runs(sh, db_path);
  if (const std::string next = sh.db.get_metadata(std::string(schema::kMetaNextVersion));
      !next.empty() && !util::parse_u64(next, sh.next_version))
    throw Error(ErrorCode::IndexCorrupt, sh.path + ": unreadable next page version",
                "rebuild it with: taxon-index --rebuild", db_path);
  const std::string prefix(schema::kMetaPagePrefix);
  for (auto it = sh.db.metadata_keys_begin(prefix); it != sh.db.metadata_keys_end(prefix); ++it) {
    schema::PageData d;
    if (schema::decode(sh.db.get_metadata(*it), d, false))
      sh.pages[(*it).substr(prefix.size())] = std::move(d);
  }
}

void remove_docs(Shard& sh, const std::string& id, Analyzer& an) {
  // The spelling table counts words per page: take this page's out again.
  schema::PageData old;
  if (!schema::decode(sh.db.get_metadata(std::string(schema::kMetaPagePrefix) + id), old)) return;
  for (const auto& w : format::spelling_words(old.outline, an)) --sh.spelling[w];
  schema::DocRun run = hidden_run(sh.db, schema::page_term(id, old.version));
  if (run.first == 0) return;
  sh.located.erase(run.first);
  sh.located_changed = true;
  sh.churn += run.last - run.first + 1;
  sh.hidden.push_back(std::move(run));
  sh.hidden_changed = true;
  sh.dirty = true;
}

void set_page(Shard& sh, const std::string& id, schema::PageData& data) {
  sh.db.set_metadata(std::string(schema::kMetaPagePrefix) + id, schema::encode(data));
  // Memory keeps the record without the outline (copied with it and then
  // cleared, every page's outline kept its capacity: 175 MB at a million
  // headings).
  std::vector<schema::OutlineEntry> outline = std::move(data.outline);
  data.outline.clear();
  sh.pages[id] = data;
  data.outline = std::move(outline);
  sh.dirty = true;
}

void touch_page(Shard& sh, const std::string& id, const schema::PageData& state) {
  schema::PageData full;
  if (!schema::decode(sh.db.get_metadata(std::string(schema::kMetaPagePrefix) + id), full))
    full = state;
  full.mtime_ns = state.mtime_ns;
  full.size = state.size;
  set_page(sh, id, full);
}

void write_page(Shard& sh, format::PreparedPage& p, bool existed, Analyzer& an) {
  if (existed) remove_docs(sh, p.id, an);
  sh.next_version = std::max(sh.next_version, p.data.version + 1);
  if (!p.docs.empty()) {
    if (!sh.in_transaction) {
      // Unflushed: it commits nothing by itself, commit_shard does.
      sh.db.begin_transaction(false);
      sh.in_transaction = true;
    }
    schema::DocRun run{p.id, sh.db.get_lastdocid() + 1, 0};
    for (auto& d : p.docs) run.last = sh.db.add_document(d);
    sh.located[run.first] = std::move(run);
    sh.located_changed = true;
  }
  for (const auto& w : p.spelling) ++sh.spelling[w];
  p.data.headings = static_cast<std::uint32_t>(p.docs.size());
  p.data.outline = std::move(p.outline);
  set_page(sh, p.id, p.data);
  sh.pending += p.docs.size();
  sh.churn += p.docs.size();
}

void forget_page(Shard& sh, const std::string& id, Analyzer& an) {
  remove_docs(sh, id, an);
  sh.db.set_metadata(std::string(schema::kMetaPagePrefix) + id, "");
  sh.pages.erase(id);
}

namespace {

void write_spelling(Shard& sh) {
  if (!sh.spelling.empty()) sh.tables_changed = true;
  for (const auto& [w, delta] : sh.spelling) {
    if (delta > 0)
      sh.db.add_spelling(w, static_cast<Xapian::termcount>(delta));
    else if (delta < 0)
      sh.db.remove_spelling(w, static_cast<Xapian::termcount>(-delta));
  }
  sh.spelling.clear();
}

// The languages of the shard's pages that have documents, for the search
// side's stemming of query words.
void write_languages(Shard& sh) {
  std::set<std::string> langs;
  for (const auto& [id, page] : sh.pages)
    if (page.headings > 0 && !page.lang.empty()) langs.insert(page.lang);
  std::string list;
  for (const auto& l : langs) list += (list.empty() ? "" : ",") + l;
  if (sh.db.get_metadata(std::string(schema::kMetaLanguages)) != list)
    sh.db.set_metadata(std::string(schema::kMetaLanguages), list);
}

void write_document_lists(Shard& sh) {
  if (sh.hidden_changed)
    sh.db.set_metadata(std::string(schema::kMetaHidden), schema::encode_runs(sh.hidden));
  sh.hidden_changed = false;
  if (sh.located_changed) {
    std::vector<schema::DocRun> runs;
    runs.reserve(sh.located.size());
    for (const auto& [first, run] : sh.located) runs.push_back(run);
    sh.db.set_metadata(std::string(schema::kMetaDocIds), schema::encode_docids(runs));
  }
  sh.located_changed = false;
}

}  // namespace

void commit_shard(Shard& sh) {
  write_spelling(sh);
  write_languages(sh);
  write_document_lists(sh);
  if (const std::string v = std::to_string(sh.next_version);
      sh.db.get_metadata(std::string(schema::kMetaNextVersion)) != v)
    sh.db.set_metadata(std::string(schema::kMetaNextVersion), v);
  if (sh.tables_changed) copy_tables(sh.db);
  sh.tables_changed = false;
  if (sh.in_transaction) {
    sh.db.commit_transaction();
    sh.in_transaction = false;
  }
  sh.db.commit();
  sh.pending = 0;
  sh.dirty = false;
}

}  // namespace taxon::index
