// SPDX-License-Identifier: MIT
#ifndef TAXON_SEARCHER_H_
#define TAXON_SEARCHER_H_

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "taxon/export.h"

namespace taxon {

/// One ancestor of a hit (or the hit itself) in its page's tree.
struct TAXON_EXPORT Crumb {
  std::string number;  ///< "3.2", or empty
  std::string label;
  int ordinal = 0;  ///< position of the heading in its page, from 0
  int level = 1;

  /// "3.2 Security Interests", or just the label.
  std::string text() const;
};

/// A heading found by a search, with everything needed to print it.
struct TAXON_EXPORT Hit {
  int rank = 0;      ///< 1-based
  double score = 0;  ///< BM25 weight
  int percent = 0;   ///< Xapian's percentage, 0..100
  std::string label;
  std::string number;
  std::string keywords;
  int level = 1;
  int line = 0;
  int ordinal = 0;               ///< position of the heading in its page
  std::vector<Crumb> ancestors;  ///< root first, the hit itself not included
  std::string path;              ///< page path as stored (relative to the index's folder)
  std::string anchor;
  std::string title;
  std::string lang;
  std::string shortcode;
  std::vector<std::string> categories;
  std::vector<std::string> tags;
  std::string url;  ///< Hugo permalink with anchor, base URL prefixed if given; "" when Hugo
                    ///< renders no page for it
  std::size_t collapsed = 0;  ///< with grouping: how many more hits the group holds

  /// The ancestors, root first: "International Space Consortium › 3. Strategic
  /// Objectives › 3.2 Security Interests". Empty for a root heading.
  std::string breadcrumb(std::string_view separator = " \u203a ") const;

  /// "3.2 Security Interests", or just the label.
  std::string heading() const;
};

/// A value and how many hits have it.
struct FacetCount {
  std::string value;
  std::size_t count = 0;
};

enum class GroupBy { None, Page, Branch };

/// What one query may cost. A query over a limit is refused with
/// Error(BadQuery), except where a limit says otherwise. The defaults are far
/// above what people type or paste (docs/query-syntax.md, "Limits"); a
/// server that runs queries of strangers can tighten them.
struct QueryLimits {
  /// Bytes of query text: a long pasted paragraph is 2 kB.
  std::size_t max_bytes = 8192;
  /// Words, operators and field:value pairs, after the query is split into
  /// words as pages are (Chinese or Japanese text gives about one word for
  /// every two characters). A pasted paragraph is 100 to 200 words; the cost
  /// of a query grows with its words, faster than linearly.
  std::size_t max_words = 512;
  /// How deep parentheses nest, and how deep the parsed query's operators
  /// may nest: twice this. Queries people write nest 2 or 3 deep. Matching
  /// walks the query tree recursively, so this bounds the stack it needs.
  std::size_t max_depth = 32;
  /// under: and page: values: each runs a search of its own, or reads every
  /// page's record. Real queries have one or two.
  std::size_t max_under_page = 16;
  /// Words ending in '*' (and the last word with SearchOptions::partial).
  /// Real queries have one.
  std::size_t max_wildcards = 8;
  /// Stems one wildcard matches through: the ones of its most frequent
  /// words. Not an error: `a*` on a large index still finds the common
  /// words starting with `a`.
  std::size_t max_expansion = 100;
  /// Of those, only as many as are used on this many pages together (the
  /// pages counted for each word, as the index's vocabulary counts them),
  /// the most frequent first and always the first; 0: no such bound. The
  /// same holds for the words the word being typed completes to. Not an
  /// error: on a large index `r` or `st` starts thousands of words, and
  /// matching every heading that holds one of the 100 most frequent took up
  /// to 20 ms at 1M headings.
  std::size_t max_completion_pages = 20000;
  /// Unknown words given a spelling suggestion; the rest stay as typed. Not
  /// an error. Each suggestion scans part of the spelling table.
  std::size_t max_corrections = 16;
  /// offset + limit: how far into the ranking a search may read. Beyond it
  /// search() throws Error(InvalidArgument); the matcher holds this many hits.
  std::size_t max_rank = 1000000;
};

/// How a search runs.
struct SearchOptions {
  std::size_t limit = 10;
  std::size_t offset = 0;
  bool any = false;      ///< words are OR'ed instead of AND'ed
  bool partial = false;  ///< the last word is always a prefix (forced search as you type)
  /// Search as you type: the last word also matches the words it starts when
  /// the index has no such word, or when the query finds nothing as typed.
  bool complete = true;
  /// The words as typed only: every word must match, stop words included, the
  /// last word is not completed, and nothing else is tried when nothing
  /// matches (no related forms, no "most words"; spelling as set above).
  bool all = false;
  /// Languages (ISO 639-1 codes) to stem the query in; empty: every language
  /// of the index (or the ones `lang:` names in the query).
  std::vector<std::string> languages;
  bool spelling = true;      ///< suggest, and retry with, a spelling correction
  bool facets = false;       ///< count hits per category, tag and page
  bool exact_total = false;  ///< count every match (slower) instead of estimating
  /// Count matches for the total (exact up to 2,000, and grouped totals the
  /// number of groups). Off, a search does only what its page of hits
  /// needs, and estimated_total is Xapian's estimate: for suggestions as
  /// someone types, where no total is shown.
  bool count = true;
  GroupBy group = GroupBy::None;
  std::string base_url;  ///< prefix of Hit::url
  QueryLimits limits;
};

/// What a search found.
struct SearchResult {
  std::string query;             ///< as given
  std::string corrected;         ///< spelling-corrected query, or empty
  bool used_correction = false;  ///< hits are for `corrected` (the query had none)
  std::string explain;           ///< the Xapian query that ran, as text
  /// The last word was completed (search as you type): what was typed and
  /// the most frequent word it starts ("shortc" -> "shortcode"); empty if not.
  std::string completed_from, completed_to;
  /// Stop words of the query that did not have to match.
  std::vector<std::string> optional_words;
  bool most_words = false;  ///< no heading has all the words: hits have most of them
  bool derived = false;     ///< words also matched related forms (economy for economic)
  std::vector<std::string>
      languages;  ///< Snowball names the words were stemmed in ("none": unstemmed)
  /// The searches run, in order: "as typed", then as far as needed
  /// "corrected", then "widened" (one word: completed, related forms) or
  /// "most words" (all words but one, but two, ..., completed and related
  /// forms included).
  std::vector<std::string> steps;
  std::size_t estimated_total = 0;  ///< exact up to 2,000 matches (or offset + limit)
  bool total_is_exact = false;      ///< estimated_total is the exact count
  std::vector<Hit> hits;
  /// "category", "tag", "page" -> counts, largest first (with SearchOptions::facets).
  std::map<std::string, std::vector<FacetCount>> facets;
  /// Remote shards left out (OpenOptions::allow_partial): "HOST:PORT (shard I of N): why".
  std::vector<std::string> missing_shards;
};

/// One page's headings in page order (Searcher::outline).
struct PageOutline {
  std::string path;  ///< page path as stored
  std::string title;
  std::string lang;
  std::string url;  ///< Hugo permalink of the page, base URL prefixed if given; "" when it has none
  std::vector<Hit> headings;  ///< by ordinal; rank, score and percent are 0
};

/// How a Searcher opens an index.
struct OpenOptions {
  /// Read `remote HOST:PORT` lines of the stub: of a stub file, or of an
  /// index folder's `taxon.stub`. Set it only for an index the user named:
  /// one that find_index() found by walking up may have been put there by
  /// anyone. Without it, an index folder's stub may list only its own shard
  /// folders, and a stub file only local databases.
  bool allow_remote = false;
  /// How long a remote shard may take to connect and to answer, in milliseconds.
  unsigned remote_timeout_ms = 10000;
  /// A remote shard that cannot be reached, or stops answering, is left
  /// out (SearchResult::missing_shards names it) instead of an Error.
  bool allow_partial = false;
  /// How much memory the page records read for hits may keep between
  /// searches (the least recently used are dropped first; a page of 50
  /// headings takes about 7 KB). A hit's text, breadcrumb and link come from
  /// its page's record.
  std::size_t page_cache_bytes = std::size_t{64} << 20;
};

/// Read access to an index. Opening takes no lock: a Searcher sees the last
/// commit made before it was opened (call reopen() to move on). Not
/// thread-safe: use one Searcher per thread.
class TAXON_EXPORT Searcher {
 public:
  /// Opens the index at `db`: an index folder (shards listed by its stub, or
  /// one database, as xapian-compact writes it), or a stub file listing
  /// databases (`auto PATH`, and `remote HOST:PORT` with
  /// OpenOptions::allow_remote). Never runs a program (`remote :PROGRAM`).
  /// Throws Error: NotFound, IndexVersion, IndexCorrupt (a stub line or
  /// shard that is not what taxon wrote), Io, Remote.
  explicit Searcher(const std::filesystem::path& db, const OpenOptions& options = {});
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  /// Runs a query (see docs/query-syntax.md). No hits is not an error.
  /// Throws Error: BadQuery for malformed text or a query over
  /// options.limits, InvalidArgument for offset + limit over
  /// options.limits.max_rank, IndexCorrupt, Io.
  SearchResult search(std::string_view query, const SearchOptions& options = {});

  /// The headings of one page, in page order, each with its ancestors,
  /// anchor and url (`base_url` in front). `page` names the page by its
  /// permalink as Hit::url has it without the anchor (with or without
  /// `base_url`), or by its path or a path end after a '/' ("maps/x.md").
  /// Throws Error: NotFound (no page with headings matches), InvalidArgument
  /// (several do), IndexCorrupt, Io.
  PageOutline outline(std::string_view page, const std::string& base_url = {});

  /// What the query word being typed may become, from the index: field
  /// names ("cat" -> "category:"); after "category:", "tag:", "lang:" and
  /// "level:" the values pages hold, most used first ("tag:int" ->
  /// "tag:international-entities"); after "under:" section numbers, or the
  /// labels of headings whose words begin with the words typed (quoted when
  /// they hold a space); otherwise the index's words that start with it, most
  /// used first. A leading + or - is kept. At most `limit`. For shell
  /// completion and for a search box's suggestions.
  /// Throws Error: IndexCorrupt, Io.
  std::vector<std::string> complete(std::string_view word, std::size_t limit = 50);

  /// Number of headings in the index.
  std::size_t size() const;

  /// Moves to the latest commit.
  void reopen();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The index folder a program should use: `explicit_db` if not empty, else
/// $TAXON_DB, else the nearest `.taxon` walking up from `start`. Throws
/// Error(NotFound) when there is none.
TAXON_EXPORT std::filesystem::path find_index(const std::filesystem::path& explicit_db,
                                              const std::filesystem::path& start);

/// Whether a program may read remote shards (OpenOptions::allow_remote) of
/// `db`, the index find_index(explicit_db, …) gave: only of an index the
/// user named (`explicit_db`, or $TAXON_DB), and then of a stub file, or of
/// an index folder when `folder_too` (the programs' --allow-remote). Never
/// of a .taxon folder found by walking up: anyone may have put it there.
TAXON_EXPORT bool may_read_remote(const std::filesystem::path& db,
                                  const std::filesystem::path& explicit_db, bool folder_too);

/// The fields of the query language, each with its colon ("category:"), in
/// the order docs/query-syntax.md gives them.
TAXON_EXPORT const std::vector<std::string>& query_fields();

/// The search result as one JSON document (schema: docs/json-output.md).
TAXON_EXPORT std::string to_json(const SearchResult& result, int indent = 2);

}  // namespace taxon

#endif  // TAXON_SEARCHER_H_
