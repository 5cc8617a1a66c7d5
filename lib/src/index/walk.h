// SPDX-License-Identifier: MIT
// Walking the folders given to taxon-index: which files are pages (the
// globs, hidden names, .gitignore and .ignore), which symbolic links are followed (only to places
// inside the folders given), loops; and reading a page as a regular file.
#ifndef TAXON_INDEX_WALK_H_
#define TAXON_INDEX_WALK_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "taxon/indexer.h"
#include "taxon/page.h"

namespace taxon::index {

struct FileEntry {
  std::string abs;  // absolute, lexically normal
  std::string rel;  // relative to the root it was found under (generic form)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

/// What an errno means for a file that could not be read, in a diagnostic's words.
std::string read_error(int err);

/// Reads a page into `bytes` (a regular file only, at most `max_size`
/// bytes); "" on success, else why it was not read.
std::string read_page(const std::string& path, std::uintmax_t max_size, std::string& bytes);

/// Finds the pages under the roots of one run.
class Walker {
 public:
  using DiagnosticFn = std::function<void(const Diagnostic&)>;

  /// `roots`: every folder or file given to the run (links may lead into any of them).
  Walker(const IndexOptions& options, const std::vector<std::filesystem::path>& roots);

  /// Adds the pages under `root` to `files`; folders that could not be read
  /// go to `protect` (their pages are kept), problems to `diag`, and those
  /// that leave a page out are counted in `skipped`.
  void walk(const std::filesystem::path& root, std::vector<FileEntry>& files,
            std::vector<std::string>& protect, const DiagnosticFn& diag, std::size_t& skipped);

 private:
  // The patterns of one .gitignore or .ignore file, for the paths below `base`.
  struct IgnoreRule {
    std::vector<std::string> segments;  // the pattern split at '/'
    bool negate = false, dir_only = false, anchored = false;
  };
  struct IgnoreFile {
    std::string base;  // its folder, relative to the root ("" for the root)
    std::vector<IgnoreRule> rules;
  };
  static std::vector<IgnoreRule> parse_ignore(const std::string& text);
  bool ignored(const std::string& rel, bool is_dir) const;
  bool may_follow(const std::string& path, const DiagnosticFn& diag) const;
  static void add_file(const std::string& abs, const std::string& rel, const struct stat& st,
                       std::vector<FileEntry>& files);
  void walk_dir(const std::string& dir, const std::string& rel, const struct stat& dst,
                std::set<std::pair<dev_t, ino_t>>& seen, std::vector<FileEntry>& files,
                std::vector<std::string>& protect, const DiagnosticFn& diag, std::size_t& skipped);

  const IndexOptions& opts;
  std::vector<IgnoreFile> ignore_;  // the ignore files of the folders being walked, outermost first
  // Real paths (symbolic links resolved) of the folders and files given to
  // the run: a symbolic link is followed only to a place inside one of them.
  std::vector<std::string> real_roots_;
};

}  // namespace taxon::index

#endif  // TAXON_INDEX_WALK_H_
