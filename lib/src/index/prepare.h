// SPDX-License-Identifier: MIT
// A file to what its shard's writer needs: read (a regular file, under the
// size limit), hashed (unchanged bytes only get their new file state),
// parsed, placed (language and URL, as Hugo places it inside a Hugo site)
// and built into documents. Runs on the shards' threads, each with its own
// Analyzer; it reads the run's options and sites only.
#ifndef TAXON_INDEX_PREPARE_H_
#define TAXON_INDEX_PREPARE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "format/documents.h"
#include "index/plan.h"
#include "index/roots.h"
#include "taxon/analyzer.h"
#include "taxon/indexer.h"
#include "taxon/page.h"

namespace taxon::index {

/// What became of a Task.
struct Result {
  enum class Kind {
    Failed,   // not read or not parsed: reported, left as it was
    Touched,  // same bytes: only the file state changes
    Draft,    // a draft left out: the record stays, without documents
    Ready,    // documents to write
  } kind = Kind::Failed;
  Task task;
  format::PreparedPage page;
  std::vector<Diagnostic> diagnostics;
};

class PagePreparer {
 public:
  PagePreparer(const IndexOptions& opts, const RunSites& sites) : opts_(opts), sites_(sites) {}

  /// Prepares `task`'s page as version `version`. Never throws: a failure
  /// is a Failed result with a diagnostic.
  Result prepare(Task task, Analyzer& an, std::uint64_t version) const;

 private:
  Result prepare_or_throw(Task task, Analyzer& an, std::uint64_t version) const;

  const IndexOptions& opts_;
  const RunSites& sites_;
};

}  // namespace taxon::index

#endif  // TAXON_INDEX_PREPARE_H_
