// SPDX-License-Identifier: MIT
// The synonym file (IndexOptions::synonyms) read into the index's synonym
// table: one group of equivalent words or phrases a line.
#ifndef TAXON_INDEX_SYNONYMS_H_
#define TAXON_INDEX_SYNONYMS_H_

#include <cstddef>
#include <filesystem>
#include <vector>

#include "index/shard.h"
#include "taxon/analyzer.h"

namespace taxon::index {

/// Replaces the synonym table of `shards` with the groups of `file`. The
/// table lives in shard 0 (a reader merges all shards' tables), so the
/// shards of a folder that does not hold shard 0 (`first` > 0) keep none.
/// Throws Error(Io) when the file cannot be read.
void load_synonyms(const std::filesystem::path& file, std::vector<Shard>& shards, std::size_t first,
                   Analyzer& analyzer);

}  // namespace taxon::index

#endif  // TAXON_INDEX_SYNONYMS_H_
