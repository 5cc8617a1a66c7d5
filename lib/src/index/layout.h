// SPDX-License-Identifier: MIT
// How an index folder is laid out: shard folders "shard-0" ... "shard-N-1",
// each a Xapian database holding its pages' documents, spelling counts and
// page metadata, and a Xapian stub file "taxon.stub" listing them, through
// which a reader opens all shards as one database.
#ifndef TAXON_INDEX_LAYOUT_H_
#define TAXON_INDEX_LAYOUT_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace taxon::index {

inline constexpr const char* kStubName = "taxon.stub";

/// The shard folders listed by `dir`/taxon.stub, in order; empty when there is no stub.
std::vector<std::filesystem::path> read_stub(const std::filesystem::path& dir);

/// Writes `dir`/taxon.stub for `shards` shards (atomically: a reader sees the old or the new).
void write_stub(const std::filesystem::path& dir, std::size_t shards);

/// Folder of shard `i`.
std::filesystem::path shard_path(const std::filesystem::path& dir, std::size_t i);

/// The shard a page lives in: fixed by its id, so every run puts it in the same place.
std::size_t shard_of(const std::string& page_id, std::size_t shards);

/// Removes what taxon keeps in `dir` (the stub, shard folders, the files of a
/// single Xapian database) and nothing else.
void remove_index_files(const std::filesystem::path& dir);

}  // namespace taxon::index

#endif  // TAXON_INDEX_LAYOUT_H_
