// SPDX-License-Identifier: MIT
// One shard of the index as its writer holds it: the Xapian writer and what
// is kept in memory between commits (the shard's page records, spelling
// count changes, the lists of hidden and located documents), and the writes
// a page makes to it. A shard is written by one thread at a time; every
// change to a page (its documents hidden or added, its record, its spelling
// counts) reaches Xapian in the same commit.
#ifndef TAXON_INDEX_SHARD_H_
#define TAXON_INDEX_SHARD_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "format/documents.h"
#include "format/schema.h"
#include "taxon/analyzer.h"

namespace taxon::index {

/// Shards are written without term lists (index/merge.h); Xapian must be
/// told so again each time one is opened for writing.
inline constexpr int kShardFlags = Xapian::DB_NO_TERMLIST | Xapian::DB_BACKEND_GLASS;

/// One shard of the index and what its writer keeps in memory.
struct Shard {
  std::string path;
  Xapian::WritableDatabase db;
  std::size_t pending = 0;      // headings since the last commit
  std::size_t churn = 0;        // documents added or deleted by this run
  bool dirty = false;           // something written since the last commit
  bool tables_changed = false;  // spelling or synonyms changed: their copy is rewritten
  std::unordered_map<std::string, long> spelling;  // word -> change in page count, not yet written
  std::unordered_map<std::string, schema::PageData> pages;  // this shard's pages, by page id
  std::vector<schema::DocRun> hidden;  // replaced pages' documents, not yet merged away
  bool hidden_changed = false;
  std::map<Xapian::docid, schema::DocRun> located;  // kMetaDocIds, by first document id
  bool located_changed = false;
  std::uint64_t next_version = 1;  // of the next page written
  // Documents are added inside a Xapian transaction that commit_shard ends:
  // Xapian commits by itself every XAPIAN_FLUSH_THRESHOLD (10,000) changes
  // outside one, which would make documents visible without the page
  // records and document lists that say what they are.
  bool in_transaction = false;
};

/// Reads the shard's lists of hidden documents and of which page each
/// document id belongs to. Throws Error(IndexCorrupt) naming `db_path` in
/// its hint when they are unreadable.
void load_runs(Shard& sh, const std::string& db_path);

/// Reads what the writer keeps in memory from a shard just opened: the
/// document lists (load_runs), the next page version and the page records
/// (without their outlines; a record that does not decode is left out).
/// Throws Error(IndexCorrupt) when the next page version is unreadable.
void load_shard(Shard& sh, const std::string& db_path);

/// Hides the documents of page `id`'s stored version (they stay until the
/// shard is merged, index/merge.h) and takes its words out of the spelling
/// counts.
void remove_docs(Shard& sh, const std::string& id, Analyzer& an);

/// Writes a page's record; memory keeps it without the outline.
void set_page(Shard& sh, const std::string& id, schema::PageData& data);

/// A page whose file changed only in mtime or size: its stored record,
/// outline and all, gets the new file state from `state`.
void touch_page(Shard& sh, const std::string& id, const schema::PageData& state);

/// Writes a page's documents and record, hiding its old documents first
/// when it `existed`. Moves the outline out of `p`.
void write_page(Shard& sh, format::PreparedPage& p, bool existed, Analyzer& an);

/// Removes page `id`: hides its documents and deletes its record.
void forget_page(Shard& sh, const std::string& id, Analyzer& an);

/// Writes what memory holds (spelling counts, languages, document lists,
/// next version, the tables' copy) and commits.
void commit_shard(Shard& sh);

}  // namespace taxon::index

#endif  // TAXON_INDEX_SHARD_H_
