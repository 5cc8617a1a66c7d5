// SPDX-License-Identifier: MIT
// The plan of a run, made on the calling thread before any shard's thread
// starts: the pages found under the roots, and for each shard the files to
// read (those whose mtime or size differ from the stored file state, or
// all of them when the settings changed) and the pages that are gone.
#ifndef TAXON_INDEX_PLAN_H_
#define TAXON_INDEX_PLAN_H_

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "format/schema.h"
#include "index/index_folder.h"
#include "index/roots.h"
#include "index/walk.h"
#include "taxon/indexer.h"

namespace taxon::index {

/// A file a shard's thread reads.
struct Task {
  FileEntry file;
  std::optional<schema::PageData> old;  // its page's stored record, without the outline
  bool force = false;  // read again even if its bytes did not change (the settings did)
};

/// What each shard's thread does in a run.
struct RunPlan {
  std::vector<std::vector<Task>> tasks;        // by shard
  std::vector<std::vector<std::string>> gone;  // page ids to remove, by shard
  std::size_t files_total = 0;                 // pages found for the shards of this folder
};

/// The pages under the folders `walked`, sorted by path, each once. Folders
/// that could not be read go to `protect` (their pages are kept); files
/// reported and left out are counted in `skipped`.
std::vector<FileEntry> find_pages(const IndexOptions& opts,
                                  const std::vector<std::filesystem::path>& walked,
                                  RunReporter& reporter, std::vector<std::string>& protect,
                                  std::size_t& skipped);

/// Plans the run over `files` (moved into the tasks). `force`: every page
/// is read again. Pages stored under `roots` (absolute) that were not
/// found, outside `protect`, are gone. Counts unchanged pages and those of
/// other shards in `sum`.
RunPlan plan_run(IndexFolder& folder, std::vector<FileEntry>& files, bool force,
                 const std::vector<std::string>& roots, const std::vector<std::string>& protect,
                 IndexSummary& sum);

}  // namespace taxon::index

#endif  // TAXON_INDEX_PLAN_H_
