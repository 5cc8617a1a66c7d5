// SPDX-License-Identifier: MIT
// The index folder as one writer holds it: its lock, the shards it writes
// (checked and opened, their state read into memory), and the stub that
// lists them. Opening repairs what a killed run left behind; a rebuild
// writes a new generation of shards beside the old ones and lists them in
// the stub only once they are committed (publish()).
#ifndef TAXON_INDEX_INDEX_FOLDER_H_
#define TAXON_INDEX_INDEX_FOLDER_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "format/layout.h"
#include "index/shard.h"
#include "taxon/indexer.h"

namespace taxon::index {

struct IndexFolder {
  /// Opens (or creates) the index folder `opts.db` for writing: takes its
  /// lock and opens its shards, or makes new ones (a new index, a rebuild).
  /// Throws Error: IndexLocked, IndexVersion, IndexCorrupt, Io, InvalidArgument.
  explicit IndexFolder(const IndexOptions& opts);

  /// The shard of this folder that holds page `id`, or null when it belongs
  /// to a shard written elsewhere.
  Shard* shard_for(const std::string& id);

  /// After a rebuild's last commit: the stub lists the new shards, and the
  /// old ones go. Does nothing otherwise.
  void publish();

  std::filesystem::path dir;
  std::string db_path;     // dir as a string, for messages
  format::IndexLock lock;  // held for the writer's lifetime: every write is under it
  std::vector<Shard> shards;
  std::vector<std::string> shard_names;  // shard folder names, in shard order
  // The index the shards belong to: `total` shards, of which this folder
  // holds those from `first` on (all of them, unless one was asked for).
  std::size_t total = 0;
  std::size_t first = 0;
  // A rebuild writes new shards beside the old ones and lists them in the
  // stub only once they are committed, so readers see the old index or the
  // new one, never a gap. (A rebuild that repairs an unreadable stub lists
  // its new shards at once: there was no index for readers to keep.)
  bool publish_pending = false;

 private:
  void choose_shards(const IndexOptions& opts, const std::vector<std::string>& listed, bool create);
  void open_shards(bool create);
  void check_shard(std::size_t i, const IndexOptions& opts);
};

}  // namespace taxon::index

#endif  // TAXON_INDEX_INDEX_FOLDER_H_
