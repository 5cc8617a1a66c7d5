// SPDX-License-Identifier: MIT
// Incremental runs: which pages a run must read, from the file state each
// shard keeps in memory (mtime and size; the content hash is checked by the
// shard's thread once the file is read), and which stored pages are gone.
#include "index/plan.h"

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

// Stored pages under `roots` that were not found (gone, or no longer
// matching the globs), but for those under folders that could not be read.
std::vector<std::vector<std::string>> gone_pages(const IndexFolder& folder,
                                                 const std::set<std::string>& seen,
                                                 const std::vector<std::string>& roots,
                                                 const std::vector<std::string>& protect) {
  std::vector<std::vector<std::string>> gone(folder.shards.size());
  for (std::size_t s = 0; s < folder.shards.size(); ++s) {
    for (const auto& [id, page] : folder.shards[s].pages) {
      if (seen.contains(id)) continue;
      auto under = [&path = page.path](const std::string& prefix) {
        return is_under(path, prefix);
      };
      if (!std::any_of(roots.begin(), roots.end(), under)) continue;
      if (std::any_of(protect.begin(), protect.end(), under)) continue;
      gone[s].push_back(id);
    }
  }
  return gone;
}

}  // namespace

std::vector<FileEntry> find_pages(const IndexOptions& opts, const std::vector<fs::path>& walked,
                                  RunReporter& reporter, std::vector<std::string>& protect,
                                  std::size_t& skipped) {
  std::vector<FileEntry> files;
  Walker walker(opts, walked);
  const Walker::DiagnosticFn diag = [&reporter](const Diagnostic& d) { reporter.diagnostic(d); };
  for (const auto& root : walked) walker.walk(root, files, protect, diag, skipped);
  std::sort(files.begin(), files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.abs < b.abs; });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const FileEntry& a, const FileEntry& b) { return a.abs == b.abs; }),
              files.end());
  return files;
}

RunPlan plan_run(IndexFolder& folder, std::vector<FileEntry>& files, bool force,
                 const std::vector<std::string>& roots, const std::vector<std::string>& protect,
                 IndexSummary& sum) {
  RunPlan plan;
  plan.tasks.resize(folder.shards.size());
  std::set<std::string> seen;
  for (auto& f : files) {
    std::string id = schema::page_id(f.abs);
    Shard* home = folder.shard_for(id);
    if (!home) {
      ++sum.other_shards;
      continue;
    }
    seen.insert(id);
    const auto& pages = home->pages;
    auto it = pages.find(id);
    if (!force && it != pages.end() && it->second.mtime_ns == f.mtime_ns &&
        it->second.size == f.size) {
      ++sum.unchanged;
      continue;
    }
    Task t;
    t.force = force;
    t.file = std::move(f);
    if (it != pages.end()) t.old = it->second;
    plan.tasks[static_cast<std::size_t>(home - folder.shards.data())].push_back(std::move(t));
  }
  plan.gone = gone_pages(folder, seen, roots, protect);
  plan.files_total = seen.size();
  return plan;
}

}  // namespace taxon::index
