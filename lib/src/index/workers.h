// SPDX-License-Identifier: MIT
// The shards' threads of a run: one thread a shard reads, parses, analyzes
// and writes its own shard's pages (PagePreparer, then the shard's writes),
// removes the pages that are gone, commits, and merges or compacts the
// shard, so the Xapian writers, which dominate the cost, run side by side,
// and memory holds one page a thread. The calling thread reports progress
// meanwhile.
#ifndef TAXON_INDEX_WORKERS_H_
#define TAXON_INDEX_WORKERS_H_

#include "index/index_folder.h"
#include "index/plan.h"
#include "index/prepare.h"
#include "index/roots.h"
#include "taxon/indexer.h"

namespace taxon::index {

/// Carries out `plan` on the shards of `folder`, one thread a shard, and
/// adds what they did to `sum`. When a shard's thread fails, the others
/// finish, and the first shard's error is thrown (a Xapian error as
/// taxon::Error naming the shard).
void write_shards(IndexFolder& folder, RunPlan& plan, const PagePreparer& preparer,
                  const IndexOptions& opts, RunReporter& reporter, IndexSummary& sum);

}  // namespace taxon::index

#endif  // TAXON_INDEX_WORKERS_H_
