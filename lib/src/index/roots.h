// SPDX-License-Identifier: MIT
// The folders a run was given, as the run uses them: a Hugo site's own
// folder stands for its content folders, every page under a site is read
// and placed as Hugo does (RunSites), and a diagnostic names a file as the
// caller named its root (RunReporter).
#ifndef TAXON_INDEX_ROOTS_H_
#define TAXON_INDEX_ROOTS_H_

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "index/hugo_site.h"
#include "taxon/indexer.h"
#include "taxon/page.h"

namespace taxon::index {

/// The Hugo sites of a run's folders, and how each one's pages are read
/// (its anchor style). Set before the shards' threads start, then only read.
struct RunSites {
  std::vector<HugoSite> sites;
  std::vector<ParseOptions> parse;  // by site

  /// The site whose content folders hold `abs_path`, or null.
  const HugoSite* site_of(const std::string& abs_path, const ParseOptions** parse_options) const;
};

/// What a run walks: the folders given, a Hugo site's own folder replaced by
/// its content folders.
struct RunRoots {
  std::vector<std::filesystem::path> walked;
  RunSites sites;
  std::vector<Diagnostic> warnings;  // Hugo configurations that could not be used
};

/// Finds the Hugo sites of `roots` (when `opts.hugo_config`) and the folders to walk.
RunRoots resolve_roots(const std::vector<std::filesystem::path>& roots, const IndexOptions& opts);

/// Whether `path` is `prefix` or lies below it (both absolute, lexically normal).
bool is_under(const std::string& path, const std::string& prefix);

/// The caller's callbacks during a run, called one at a time under one lock:
/// diagnostics come from the shards' threads, progress from the calling one.
class RunReporter {
 public:
  using Clock = std::chrono::steady_clock;

  RunReporter(const std::vector<std::filesystem::path>& roots,
              const Indexer::ProgressFn& on_progress, const Indexer::DiagnosticFn& on_diagnostic);

  /// Reports `d`, naming a file under a root as the root was given
  /// ("content/x.md" for the root "content"), not by the absolute path
  /// used inside.
  void diagnostic(const Diagnostic& d);

  void progress(std::size_t files_done, std::size_t files_total, std::size_t headings);

  /// Seconds since the reporter was made (the run started).
  double elapsed() const;

  /// The roots, absolute and lexically normal, without a trailing '/'.
  const std::vector<std::string>& absolute_roots() const { return absolute_; }

 private:
  std::vector<std::string> absolute_, as_given_;
  const Indexer::ProgressFn& on_progress_;
  const Indexer::DiagnosticFn& on_diagnostic_;
  std::mutex mu_;
  Clock::time_point start_ = Clock::now();
};

}  // namespace taxon::index

#endif  // TAXON_INDEX_ROOTS_H_
