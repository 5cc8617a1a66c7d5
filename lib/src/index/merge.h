// SPDX-License-Identifier: MIT
// Shards have no term lists (Xapian::DB_NO_TERMLIST: a third of the index
// and of the write time), so Xapian cannot delete a document: it needs the
// document's terms to find its postings. A replaced or removed page's
// documents therefore stay in the shard, hidden from every query
// (search/live.h), until the shard is merged: rewritten without them.
#ifndef TAXON_INDEX_MERGE_H_
#define TAXON_INDEX_MERGE_H_

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "format/schema.h"

namespace taxon::index {

/// Documents the runs hide.
std::size_t hidden_count(const std::vector<schema::DocRun>& runs);

/// The run of documents holding `term` (one page version's documents, which
/// are written together), or a run with first == 0 when none holds it.
schema::DocRun hidden_run(const Xapian::Database& db, const std::string& term);

/// Whether a shard of `docs` documents, `runs` of them hidden, is worth
/// merging: hidden documents cost every query a little and skew the
/// statistics, a merge costs about as much as indexing the shard again.
bool wants_merge(const std::vector<schema::DocRun>& runs, std::size_t docs);

/// Writes a new database at `dest` holding what `src` holds but the
/// documents of `hidden`: every other document's terms, wdfs and values
/// (gathered from the posting lists and value streams, in document order),
/// the metadata but the hidden list, and the spelling and synonym tables.
/// Documents are numbered again from 1.
void write_merged(const Xapian::Database& src, const std::vector<schema::DocRun>& hidden,
                  const std::string& dest);

}  // namespace taxon::index

#endif  // TAXON_INDEX_MERGE_H_
