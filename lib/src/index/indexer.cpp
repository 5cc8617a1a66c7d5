// SPDX-License-Identifier: MIT
// Batch indexing (taxon/indexer.h), as a sequence of named steps; each step
// lives in its own file under lib/src/index/. The calling thread works out
// the folders to walk (roots: a Hugo site stands for its content folders),
// walks them and plans the run from the stored file state (plan); the
// index is split into shards (format/layout.h) and every page belongs to
// one, fixed by its id; one thread a shard prepares and writes its pages
// (workers, prepare, shard), then commits, merges and compacts its shard
// (compaction). The settings go in last (settings), and a rebuild's new
// shards are listed in the stub only then (index_folder).
#include "taxon/indexer.h"

#include <set>

#include <nlohmann/json.hpp>

#include "format/documents.h"
#include "format/layout.h"
#include "format/schema.h"
#include "index/index_folder.h"
#include "index/permalink.h"
#include "index/plan.h"
#include "index/prepare.h"
#include "index/roots.h"
#include "index/settings.h"
#include "index/shard.h"
#include "index/synonyms.h"
#include "index/workers.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon {

struct Indexer::Impl {
  IndexOptions opts;
  Analyzer analyzer;  // for add_page() and the synonym file, on the calling thread
  index::IndexFolder folder;

  explicit Impl(const IndexOptions& o) : opts(o), analyzer(o.default_lang), folder(opts) {}
};

Indexer::Indexer(const IndexOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Indexer::~Indexer() = default;
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

IndexSummary Indexer::index(const std::vector<fs::path>& roots, const ProgressFn& on_progress,
                            const DiagnosticFn& on_diagnostic) {
  Impl& im = *impl_;
  const index::RunRoots run = index::resolve_roots(roots, im.opts);
  index::RunReporter reporter(run.walked, on_progress, on_diagnostic);
  for (const auto& w : run.warnings) reporter.diagnostic(w);
  IndexSummary sum;
  std::vector<std::string> protect;  // folders that could not be read: their pages are kept
  std::vector<index::FileEntry> files =
      index::find_pages(im.opts, run.walked, reporter, protect, sum.skipped);

  return xapian_try(im.folder.db_path, [&]() -> IndexSummary {
    if (!im.opts.synonyms.empty()) {
      index::load_synonyms(im.opts.synonyms, im.folder.shards, im.folder.first, im.analyzer);
      sum.wrote = true;
    }
    // Settings that changed since the last run: every page is read again.
    const nlohmann::json settings = index::settings_json(im.opts, run.sites.sites);
    if (!im.folder.shards.empty())
      sum.settings_changed = index::changed_settings(im.folder.shards[0].db, settings);
    index::RunPlan plan = index::plan_run(im.folder, files, !sum.settings_changed.empty(),
                                          reporter.absolute_roots(), protect, sum);
    index::write_shards(im.folder, plan, index::PagePreparer(im.opts, run.sites), im.opts, reporter,
                        sum);
    if (index::store_settings(im.folder.shards, settings)) sum.wrote = true;
    im.folder.publish();
    sum.seconds = reporter.elapsed();
    return sum;
  });
}

void Indexer::add_page(const Page& page, const std::string& path) {
  Impl& im = *impl_;
  xapian_try(im.folder.db_path, [&] {
    const std::string id = schema::page_id(path);
    index::Shard* sh = im.folder.shard_for(id);
    if (!sh) return;
    std::string lang = page.front.lang.empty() ? im.opts.default_lang : page.front.lang;
    format::PreparedPage p = format::build_documents(page, id, lang, sh->next_version, im.analyzer);
    p.data.version = sh->next_version;
    p.data.path = path;
    p.data.title = page.front.title;
    p.data.lang = lang;
    p.data.categories = page.front.categories;
    p.data.tags = page.front.tags;
    p.data.url = index::permalink(path, page.front, lang, im.opts.default_lang);
    auto it = sh->pages.find(id);
    index::write_page(*sh, p, it != sh->pages.end() && it->second.headings > 0, im.analyzer);
  });
}

void Indexer::remove_page(const std::string& path) {
  Impl& im = *impl_;
  xapian_try(im.folder.db_path, [&] {
    const std::string id = schema::page_id(path);
    index::Shard* sh = im.folder.shard_for(id);
    if (sh && sh->pages.contains(id)) index::forget_page(*sh, id, im.analyzer);
  });
}

void Indexer::commit() {
  xapian_try(impl_->folder.db_path, [&] {
    for (auto& sh : impl_->folder.shards)
      if (sh.dirty) index::commit_shard(sh);
    impl_->folder.publish();
  });
}

std::string remote_stub_text(const std::vector<std::string>& addresses) {
  if (addresses.empty())
    throw Error(ErrorCode::InvalidArgument, "no shard addresses given (HOST:PORT, one a shard)");
  std::string text;
  std::set<std::string> lines;
  for (const auto& a : addresses) {
    std::string line = format::remote_line(a);
    if (!lines.insert(line).second)
      throw Error(ErrorCode::InvalidArgument,
                  "'" + a.substr(0, 80) + "': listed twice (each shard has its own server)");
    text += line + "\n";
  }
  return text;
}

}  // namespace taxon
