// SPDX-License-Identifier: MIT
// What happens to a shard after a run has written it: merged (rewritten
// without its hidden documents) once they are worth dropping, compacted
// once the run rewrote enough of it, each time as a new copy swapped in
// with one atomic rename.
#ifndef TAXON_INDEX_COMPACTION_H_
#define TAXON_INDEX_COMPACTION_H_

#include <string>

#include "index/shard.h"
#include "taxon/indexer.h"

namespace taxon::index {

/// Commits what is left of the run on this shard, then merges or compacts
/// it as `compact` asks. Called by the shard's own thread at the end of a
/// run; the run's churn starts again from 0.
void finish_shard(Shard& sh, IndexOptions::Compact compact, const std::string& db_path);

}  // namespace taxon::index

#endif  // TAXON_INDEX_COMPACTION_H_
