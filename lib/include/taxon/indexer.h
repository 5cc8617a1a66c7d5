// SPDX-License-Identifier: MIT
#ifndef TAXON_INDEXER_H_
#define TAXON_INDEXER_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "taxon/export.h"
#include "taxon/page.h"

namespace taxon {

/// Largest shard count of an index built one shard at a time (IndexOptions::shard_count).
inline constexpr unsigned kMaxShardCount = 1024;

/// How a batch run reads folders and writes the index.
struct IndexOptions {
  std::filesystem::path db = ".taxon";  ///< index directory (created if missing)
  bool rebuild = false;                 ///< start from an empty index
  double wait_seconds = 0;              ///< wait this long for another writer's lock
  /// Shards of a new index, each written by its own thread; 0 = the cores.
  /// An existing index keeps the shard count it was created with.
  unsigned jobs = 0;
  /// Writes only shard `shard_index` (from 0) of an index of `shard_count`
  /// shards, so that each of several machines can build and serve one: pages
  /// are placed as in a whole index of that many shards, and the other
  /// shards' pages are left out. The folder then holds that one shard, and a
  /// later run must name the same shard (or pass `rebuild`). 0: the whole
  /// index (`jobs` shards). At most kMaxShardCount.
  unsigned shard_count = 0;
  unsigned shard_index = 0;  ///< with shard_count: which shard, below shard_count
  std::vector<std::string> include{"*.md", "*.markdown"};  ///< file-name globs
  std::vector<std::string> exclude;  ///< globs on the file name or the path below the root
  bool drafts = false;               ///< index pages with `draft: true`
  /// Follow symbolic links (to files and folders) whose target lies outside
  /// the folders given to index(). Off: such a link is reported as a warning
  /// and left out, so a link to "/" or to a private file cannot pull it in.
  bool follow_outside = false;
  /// Leave out what `.gitignore` and `.ignore` files inside the folders
  /// given name (git's pattern rules; a pattern applies below its file's
  /// folder, the last one that matches wins, `!` takes a file back).
  bool honour_ignore_files = true;
  /// Read the Hugo site configuration of each folder given (hugo.toml,
  /// config.toml, config/_default/..., in the folder or, when the folder is
  /// one of the site's content folders, above it), so that URLs, languages
  /// and anchors are the ones `hugo` builds: contentDir, languages and their
  /// contentDir, defaultContentLanguage(InSubdir), permalinks, uglyURLs,
  /// disablePathToLower, baseURL's path, goldmark's autoHeadingIDType. A
  /// folder that is a site's own is indexed through its content folders.
  bool hugo_config = true;
  std::uintmax_t max_file_size = 16u << 20;  ///< larger files are skipped
  std::string default_lang = "en";           ///< when neither front matter nor path gives one
  std::filesystem::path synonyms;            ///< synonym file (one group a line), or empty
  std::size_t commit_every = 20000;          ///< headings written between commits
  /// When to rewrite a shard compactly after the run. Xapian's writer leaves
  /// its B-tree blocks part-filled; a compact copy is about 40% smaller and
  /// takes a few percent of the build time. Auto: when the run added or
  /// removed at least a quarter of the shard's documents (a new index, a
  /// rebuild, a large change). A replaced or removed page's documents stay
  /// in its shard, hidden from queries, until the shard is merged: rewritten
  /// without them, which Auto and Always do when they are a tenth of the
  /// shard or 512 pages' worth; Never leaves them.
  enum class Compact { Auto, Always, Never } compact = Compact::Auto;
  ParseOptions parse;
};

/// Where a run stands, reported to the progress callback.
struct IndexProgress {
  std::size_t files_done = 0;
  std::size_t files_total = 0;
  std::size_t headings = 0;  ///< headings written so far
  double elapsed = 0;        ///< seconds since the run started
};

/// What a run did. `skipped` counts files that were reported and left out.
struct IndexSummary {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t removed = 0;
  std::size_t unchanged = 0;
  std::size_t skipped = 0;
  std::size_t drafts = 0;    ///< pages left out because of `draft: true`
  std::size_t headings = 0;  ///< headings written by this run
  /// With IndexOptions::shard_count: pages found that belong to other shards, left out.
  std::size_t other_shards = 0;
  /// Settings that shape pages ("drafts", "lang", "map-shortcode",
  /// "hugo-sites": a Hugo site's configuration) and differ from those the
  /// index was last written with: every page was read again.
  std::vector<std::string> settings_changed;
  double seconds = 0;
  bool wrote = false;  ///< false when the index was already up to date
};

/// Batch indexing of content folders into one index directory: one thread a
/// shard parses, analyzes and writes that shard's pages, commits come in
/// batches (a crash loses at most the uncommitted batch), and files whose
/// mtime, size or content hash show no change are skipped. One Indexer holds
/// the index's write locks for its lifetime; it is not thread-safe itself.
class TAXON_EXPORT Indexer {
 public:
  /// Opens (or creates) the index at `options.db` for writing.
  /// Throws Error: IndexLocked, IndexVersion, IndexCorrupt, Io; InvalidArgument
  /// when `shard_count`/`shard_index` are out of range or the folder holds
  /// another shard, or another shard count, than they name.
  explicit Indexer(const IndexOptions& options);
  ~Indexer();
  Indexer(Indexer&&) noexcept;
  Indexer& operator=(Indexer&&) noexcept;

  using ProgressFn = std::function<void(const IndexProgress&)>;
  using DiagnosticFn = std::function<void(const Diagnostic&)>;

  /// Brings the index up to date with the given folders (or single files):
  /// adds new pages, replaces changed ones, removes pages that were indexed
  /// under these roots and are gone. Bad files go to `on_diagnostic` and are
  /// counted as skipped; a diagnostic names a file under a root as the root
  /// was given ("content/x.md" for "content"). Throws Error (Io, IndexCorrupt) only when the index
  /// itself cannot be written; what was committed before stays.
  /// The callbacks are called one at a time, from the shards' threads
  /// (diagnostics) and the calling thread (progress, about ten times a second).
  IndexSummary index(const std::vector<std::filesystem::path>& roots,
                     const ProgressFn& on_progress = {}, const DiagnosticFn& on_diagnostic = {});

  /// Indexes one page held in memory under `path` (replacing what was there),
  /// for programs that produce pages themselves. Committed by commit().
  /// When only one shard is written (IndexOptions::shard_count), a page of
  /// another shard is left out.
  void add_page(const Page& page, const std::string& path);

  /// Removes the page stored under `path`, if any. Committed by commit().
  void remove_page(const std::string& path);

  /// Makes everything written so far durable and visible to readers.
  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The settings the last run stored in the index folder `db`: IndexOptions
/// with include, exclude, honour_ignore_files, hugo_config, drafts,
/// default_lang, synonyms (absolute), max_file_size and
/// parse.map_shortcodes as that run had them, the rest at their defaults.
/// nullopt when `db` is no index folder, or its index stores no settings.
/// A program reuses them for the options its user did not give, so that a
/// later run indexes the same way (taxon-index does). Throws Error as
/// reading the index does (IndexCorrupt, IndexVersion, Io).
TAXON_EXPORT std::optional<IndexOptions> stored_index_options(const std::filesystem::path& db);

/// The text of a stub file listing remote shards in shard order, one
/// `remote HOST:PORT` line each, the form `taxon-query --allow-remote --db
/// FILE` reads. Each address is `HOST:PORT`, `[IPV6]:PORT` for an IPv6
/// address. Throws Error(InvalidArgument) naming the first address that is
/// not one (no port, port 0 or over 65535, `:PROGRAM`, an address listed twice).
TAXON_EXPORT std::string remote_stub_text(const std::vector<std::string>& addresses);

}  // namespace taxon

#endif  // TAXON_INDEXER_H_
