// SPDX-License-Identifier: MIT
// From the folders given to a run to the folders it walks, and back from
// the absolute paths used inside to the names the caller gave.
#include "index/roots.h"

#include <algorithm>
#include <optional>

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

std::string without_trailing_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// The Hugo site `abs` belongs to, if any; a configuration that cannot be
// read becomes a warning, and the folder is indexed without it.
std::optional<HugoSite> site_of_folder(const fs::path& abs, const IndexOptions& opts,
                                       std::vector<Diagnostic>& warnings) {
  std::error_code ec;
  if (!opts.hugo_config || !fs::is_directory(abs, ec)) return std::nullopt;
  try {
    return find_hugo_site(abs);
  } catch (const ConfigError& e) {
    warnings.push_back({Diagnostic::Severity::Warning, e.file, e.line,
                        e.why + " (Hugo settings not used: URLs follow the folders)"});
  }
  return std::nullopt;
}

}  // namespace

const HugoSite* RunSites::site_of(const std::string& abs_path,
                                  const ParseOptions** parse_options) const {
  for (std::size_t i = 0; i < sites.size(); ++i)
    if (sites[i].content_dir_of(abs_path)) {
      *parse_options = &parse[i];
      return &sites[i];
    }
  return nullptr;
}

RunRoots resolve_roots(const std::vector<fs::path>& roots, const IndexOptions& opts) {
  RunRoots run;
  for (const auto& root : roots) {
    std::error_code ec;
    const fs::path abs = fs::absolute(root, ec).lexically_normal();
    std::optional<HugoSite> site = site_of_folder(abs, opts, run.warnings);
    if (!site) {
      run.walked.push_back(root);
      continue;
    }
    // The site's own folder is indexed through its content folders.
    const std::string abs_s = without_trailing_slash(abs.string());
    if (abs_s == site->root) {
      for (const auto& c : site->content)
        if (fs::is_directory(c.abs, ec))
          run.walked.push_back(root / fs::path(c.abs).lexically_relative(abs_s));
    } else {
      run.walked.push_back(root);
    }
    std::vector<HugoSite>& known = run.sites.sites;
    if (std::any_of(known.begin(), known.end(),
                    [&](const HugoSite& s) { return s.root == site->root; }))
      continue;
    ParseOptions po = opts.parse;
    po.anchors = site->anchors;
    known.push_back(std::move(*site));
    run.sites.parse.push_back(std::move(po));
  }
  return run;
}

bool is_under(const std::string& path, const std::string& prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
          (prefix == "/" || path[prefix.size()] == '/'));
}

RunReporter::RunReporter(const std::vector<fs::path>& roots, const Indexer::ProgressFn& on_progress,
                         const Indexer::DiagnosticFn& on_diagnostic)
    : on_progress_(on_progress), on_diagnostic_(on_diagnostic) {
  for (const auto& root : roots) {
    std::error_code ec;
    absolute_.push_back(without_trailing_slash(fs::absolute(root, ec).lexically_normal().string()));
    as_given_.push_back(without_trailing_slash(root.string()));
  }
}

void RunReporter::diagnostic(const Diagnostic& d) {
  if (!on_diagnostic_) return;
  Diagnostic shown = d;
  for (std::size_t i = 0; i < absolute_.size(); ++i) {
    const std::string& abs = absolute_[i];
    if (d.path == abs) {
      shown.path = as_given_[i];
      break;
    }
    if (abs != "/" && d.path.size() > abs.size() && d.path.compare(0, abs.size(), abs) == 0 &&
        d.path[abs.size()] == '/') {
      shown.path = as_given_[i] + d.path.substr(abs.size());
      break;
    }
  }
  std::lock_guard guard(mu_);
  on_diagnostic_(shown);
}

void RunReporter::progress(std::size_t files_done, std::size_t files_total, std::size_t headings) {
  if (!on_progress_) return;
  std::lock_guard guard(mu_);
  on_progress_({files_done, files_total, headings, elapsed()});
}

double RunReporter::elapsed() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

}  // namespace taxon::index
