// SPDX-License-Identifier: MIT
// The spelling table (the vocabulary: every word and how many pages hold
// it) and the synonym table, copied into a shard's metadata. Xapian's
// remote protocol (1.4) carries neither table, but it carries metadata: a
// Searcher over remote shards rebuilds both tables from this copy, so that
// completion, spelling correction and synonyms answer as they do locally.
#ifndef TAXON_INDEX_TABLES_H_
#define TAXON_INDEX_TABLES_H_

#include <string>

#include <xapian.h>

namespace taxon::index {

/// The metadata key of the copy's chunk count and hash ("3 0123456789abcdef");
/// chunk i is under key + ":" + i.
inline constexpr std::string_view kMetaTables = "taxon:tables";

/// Writes the copy of `db`'s spelling and synonym tables (as they stand,
/// changes not yet committed included) into its metadata, replacing the
/// previous copy.
void copy_tables(Xapian::WritableDatabase& db);

/// The copy in `db`'s metadata, as one string ("" when there is none):
/// what load_tables() reads.
std::string read_table_copy(const Xapian::Database& db);

/// Adds the words and synonyms of a copy to `out`. Returns false when the
/// copy is not one copy_tables() wrote.
bool load_tables(const std::string& copy, Xapian::WritableDatabase& out);

/// A local database holding the tables of a remote shard, rebuilt from
/// the copy in its metadata. Kept in a cache folder ($XDG_CACHE_HOME/taxon,
/// else ~/.cache/taxon, else the temporary folder) under the shard's UUID
/// and the copy's hash (read from one small metadata entry: the copy itself
/// is read only to build it), so it is built once a version of the shard;
/// older versions of the same shard are removed. A shard without a copy,
/// or a cache that cannot be written, gives an empty database: no
/// completion, correction or synonyms from that shard.
Xapian::Database cached_tables(const Xapian::Database& shard);

}  // namespace taxon::index

#endif  // TAXON_INDEX_TABLES_H_
