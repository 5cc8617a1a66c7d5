// SPDX-License-Identifier: MIT
// Batch indexing. The calling thread walks the folders and decides from the
// stored file state which files need reading. The index is split into shards
// (format/layout.h) and every page belongs to one, fixed by its id; each shard
// has one thread that reads, parses, analyzes and writes its pages, so the
// Xapian writers, which dominate the cost, run side by side, and memory holds
// one page a thread. Each page's deletions, documents, spelling counts and
// file state go into the same shard commit, so a crash leaves every page
// either fully old or fully new, and the next run resumes from there.
#include "taxon/indexer.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include <unicode/locid.h>
#include <xapian.h>
#include <nlohmann/json.hpp>

#include "format/documents.h"
#include "format/layout.h"
#include "format/schema.h"
#include "index/hugo_site.h"
#include "index/merge.h"
#include "index/permalink.h"
#include "index/tables.h"
#include "index/test_hooks.h"
#include "index/walk.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "taxon/version.h"
#include "util/file.h"
#include "util/text.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon {
namespace {

using Clock = std::chrono::steady_clock;
using index::FileEntry;
using index::read_error;
using index::read_page;

struct Task {
  FileEntry file;
  std::optional<schema::PageData> old;
  bool force = false;  // read again even if its bytes did not change (the settings did)
};

struct Result {
  enum class Kind { Failed, Touched, Draft, Ready } kind = Kind::Failed;
  Task task;
  format::PreparedPage page;
  std::vector<Diagnostic> diagnostics;
};

// A language code ICU knows ("fr", "pt-BR"), so that a two-letter section
// folder ("content/js/") is not taken for a language.
bool is_language_code(const std::string& code) {
  if (code.size() != 2 && !(code.size() == 5 && (code[2] == '-' || code[2] == '_'))) return false;
  if (!std::all_of(code.begin(), code.begin() + 2, [](char c) { return c >= 'a' && c <= 'z'; }))
    return false;
  return *icu::Locale(code.substr(0, 2).c_str()).getISO3Language() != '\0';
}

// Language from the path: "name.fr.md" or ".../content/fr/...".
std::string lang_from_path(const std::string& path) {
  fs::path p(path);
  std::string stem = p.stem().string();
  if (auto dot = stem.rfind('.'); dot != std::string::npos) {
    std::string code = stem.substr(dot + 1);
    if (is_language_code(code)) return code;
  }
  std::string s = p.generic_string();
  s.insert(s.begin(), '/');
  if (auto pos = s.rfind("/content/"); pos != std::string::npos) {
    const std::size_t start = pos + 9;
    if (auto slash = s.find('/', start); slash != std::string::npos) {
      std::string seg = s.substr(start, slash - start);
      if (is_language_code(seg)) return seg;
    }
  }
  return {};
}

// Metadata key of the settings the last run wrote with (settings_json()).
constexpr std::string_view kMetaSettings = "taxon:settings";

// The options that decide which files are pages and what their headings
// are, and the Hugo sites of the run: stored in every shard, so that a
// later run can reuse them (stored_index_options()) and notice a change.
nlohmann::json settings_json(const IndexOptions& o, const std::vector<index::HugoSite>& sites) {
  nlohmann::json j = {
      {"include", o.include},
      {"exclude", o.exclude},
      {"ignore-files", o.honour_ignore_files},
      {"hugo-config", o.hugo_config},
      {"drafts", o.drafts},
      {"lang", o.default_lang},
      {"map-shortcode", o.parse.map_shortcodes},
      {"max-file-size", o.max_file_size},
      {"synonyms", o.synonyms.empty() ? std::string() : fs::absolute(o.synonyms).string()}};
  nlohmann::json hugo = nlohmann::json::array();
  for (const auto& site : sites) {
    nlohmann::json content = nlohmann::json::array();
    for (const auto& c : site.content) content.push_back({c.abs, c.lang});
    hugo.push_back({{"root", site.root},
                    {"base", site.base_path},
                    {"content", content},
                    {"default-lang", site.default_lang},
                    {"in-subdir", site.default_lang_in_subdir},
                    {"languages", site.languages},
                    {"permalinks", site.permalinks},
                    {"ugly", site.ugly_urls},
                    {"lower", site.path_to_lower},
                    {"anchors", static_cast<int>(site.anchors)}});
  }
  j["hugo-sites"] = hugo;
  return j;
}

// What a change of settings makes stale in pages already indexed: the
// settings that shape a page's headings, URL or language ("drafts" brings
// drafts in or out; include/exclude only change which files are pages,
// which every run works out anyway).
const char* const kShapingSettings[] = {"drafts", "lang", "map-shortcode", "hugo-sites"};

}  // namespace

// One shard of the index and what its writer thread keeps in memory.
struct Shard {
  std::string path;
  Xapian::WritableDatabase db;
  std::size_t pending = 0;      // headings since the last commit
  std::size_t churn = 0;        // documents added or deleted by this run
  bool dirty = false;           // something written since the last commit
  bool tables_changed = false;  // spelling or synonyms changed: their copy is rewritten
  std::unordered_map<std::string, long> spelling;  // word -> change in page count, not yet written
  std::unordered_map<std::string, schema::PageData> pages;  // this shard's pages, by page id
  std::vector<schema::DocRun> hidden;  // replaced pages' documents, not yet merged away
  bool hidden_changed = false;
  std::map<Xapian::docid, schema::DocRun> located;  // kMetaDocIds, by first document id
  bool located_changed = false;
  std::uint64_t next_version = 1;  // of the next page written
};

namespace {

// Shards are written without term lists (index/merge.h); Xapian must be
// told so again each time one is opened for writing.
constexpr int kShardFlags = Xapian::DB_NO_TERMLIST | Xapian::DB_BACKEND_GLASS;

}  // namespace

struct Indexer::Impl {
  IndexOptions opts;
  std::string db_path;
  format::IndexLock lock;  // held for the Indexer's lifetime: every write is under it
  std::vector<Shard> shards;
  std::vector<std::string> shard_names;  // shard folder shard_names, in shard order
  // The index the shards belong to: `total` shards, of which this folder
  // holds those from `first` on (all of them, unless one was asked for).
  std::size_t total = 0;
  std::size_t first = 0;
  // A rebuild writes new shards beside the old ones and lists them in the
  // stub only once they are committed, so readers see the old index or the
  // new one, never a gap. (A rebuild that repairs an unreadable stub lists
  // its new shards at once: there was no index for readers to keep.)
  bool publish_pending = false;
  Analyzer analyzer;  // for add_page() and the synonym file, on the calling thread
  // The Hugo sites of this run's folders, and how each one's pages are read
  // (its anchor style); set before the shards' threads start, then only read.
  std::vector<index::HugoSite> sites;
  std::vector<ParseOptions> site_parse;

  // Indexer::index() once the folders to walk are known.
  IndexSummary index_walked(const std::vector<fs::path>& roots,
                            const std::vector<Diagnostic>& warnings, const ProgressFn& on_progress,
                            const DiagnosticFn& on_diagnostic);

  explicit Impl(const IndexOptions& o) : opts(o), analyzer(o.default_lang) {
    db_path = opts.db.string();
    const bool one = opts.shard_count > 0;
    if (one && (opts.shard_count > kMaxShardCount || opts.shard_index >= opts.shard_count))
      throw Error(ErrorCode::InvalidArgument,
                  "shard " + format::shard_tag(opts.shard_index, opts.shard_count) +
                      " does not exist: shards are numbered from 0 to N-1, and N is at most " +
                      std::to_string(kMaxShardCount));
    std::error_code ec;
    if (fs::exists(opts.db, ec) && !fs::is_directory(opts.db, ec))
      throw Error(ErrorCode::Io, db_path + ": not a folder (an index is a folder)", {}, db_path);
    fs::create_directories(opts.db, ec);
    if (ec)
      throw Error(ErrorCode::Io, db_path + ": cannot create index folder: " + ec.message(), {},
                  db_path);
    lock = format::IndexLock(opts.db, opts.wait_seconds);

    std::vector<format::StubEntry> listed;
    try {
      listed = format::read_index_stub(opts.db);
    } catch (const Error& e) {
      // A damaged stub is what --rebuild repairs.
      if (!opts.rebuild || e.code() != ErrorCode::IndexCorrupt) throw;
    }
    const bool ours = format::is_index_folder(opts.db);
    if (opts.rebuild && !ours && !only_lock_file(opts.db))
      throw Error(ErrorCode::Io,
                  db_path + ": not a taxon index folder (no " + format::kMarkerName +
                      "): --rebuild deletes nothing here",
                  "pass the index folder, or a new or empty one", db_path);
    if (listed.empty() && fs::exists(opts.db / "iamglass", ec))
      throw Error(ErrorCode::IndexVersion,
                  db_path +
                      ": one database, not an index folder of shards (an older layout, or "
                      "a database made by hand)",
                  "move it away and index again into a new folder", db_path);
    if (one && !opts.rebuild && listed.size() > 1)
      throw Error(ErrorCode::InvalidArgument,
                  db_path + ": holds an index of " + std::to_string(listed.size()) +
                      " shards, not shard " + wanted_tag() + " alone",
                  "--shard writes into a folder of its own: pass another --db, or --rebuild to "
                  "make this folder shard " +
                      wanted_tag() + " only",
                  db_path);
    if (!fs::is_regular_file(opts.db / format::kMarkerName, ec)) format::write_marker(opts.db);
    std::vector<std::string> keep;
    for (const auto& e : listed) keep.push_back(e.path.filename().string());
    remove_stale(keep);

    const bool create = listed.empty() || opts.rebuild;
    std::size_t n = listed.size();
    if (one) {
      total = opts.shard_count;
      first = opts.shard_index;
    }
    if (create) {
      n = one ? 1
              : std::clamp<std::size_t>(opts.jobs ? opts.jobs : std::thread::hardware_concurrency(),
                                        1, 64);
      const std::string suffix = listed.empty() ? "" : "." + std::to_string(next_generation());
      for (std::size_t i = 0; i < n; ++i)
        shard_names.push_back("shard-" + std::to_string(first + i) + suffix);
    } else {
      shard_names = keep;
    }
    if (!one) total = n;
    shards.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      Shard& sh = shards[i];
      sh.path = (opts.db / shard_names[i]).string();
      std::string why;
      switch (format::shard_state(sh.path, &why)) {
        case format::ShardState::Missing:
          if (!create)
            throw Error(ErrorCode::IndexCorrupt,
                        sh.path + ": shard listed in " + format::kStubName + " is missing",
                        "rebuild it with: taxon-index --rebuild", db_path);
          break;
        case format::ShardState::Empty:
          // A run killed while it created the index: nothing was committed here.
          format::clear_empty_shard(sh.path);
          break;
        case format::ShardState::Ready:
          break;
        case format::ShardState::NotDatabase:
          throw Error(ErrorCode::IndexCorrupt, sh.path + ": not a shard: " + why,
                      "rebuild it with: taxon-index --rebuild", db_path);
      }
      try {
        sh.db = Xapian::WritableDatabase(
            sh.path, (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) | kShardFlags);
      } catch (const Xapian::Error& e) {
        throw from_xapian(e, sh.path);
      }
    }
    xapian_try(db_path, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        Shard& sh = shards[i];
        const std::string v = sh.db.get_metadata(std::string(schema::kMetaSchema));
        const std::string tag = format::shard_tag(first + i, total);
        if (v.empty()) {
          if (sh.db.get_doccount() > 0)
            throw Error(ErrorCode::IndexVersion,
                        sh.path + ": not a taxon index (no schema version)",
                        "rebuild it with: taxon-index --rebuild", db_path);
          sh.db.set_metadata(std::string(schema::kMetaSchema), std::to_string(kSchemaVersion));
          sh.db.set_metadata(std::string(format::kMetaShard), tag);
          sh.db.commit();
        } else if (v != std::to_string(kSchemaVersion)) {
          throw Error(ErrorCode::IndexVersion,
                      sh.path + ": index has schema version " + v + ", this taxon reads version " +
                          std::to_string(kSchemaVersion),
                      "rebuild it with: taxon-index --rebuild", db_path);
        } else if (const std::string have = sh.db.get_metadata(std::string(format::kMetaShard));
                   have != tag) {
          check_same_shard(have, n);
          throw Error(ErrorCode::IndexCorrupt,
                      db_path + "/" + format::kStubName + ": line " + std::to_string(i + 1) +
                          " lists shard " + (have.empty() ? std::string("?") : have) +
                          ", expected shard " + tag + " (the stub was edited?)",
                      "rebuild it with: taxon-index --rebuild", db_path);
        }
        load_runs(sh);
        if (const std::string next = sh.db.get_metadata(std::string(schema::kMetaNextVersion));
            !next.empty() && !util::parse_u64(next, sh.next_version))
          throw Error(ErrorCode::IndexCorrupt, sh.path + ": unreadable next page version",
                      "rebuild it with: taxon-index --rebuild", db_path);
        const std::string prefix(schema::kMetaPagePrefix);
        for (auto it = sh.db.metadata_keys_begin(prefix); it != sh.db.metadata_keys_end(prefix);
             ++it) {
          schema::PageData d;
          if (schema::decode(sh.db.get_metadata(*it), d, false))
            sh.pages[(*it).substr(prefix.size())] = std::move(d);
        }
      }
    });
    if (create && listed.empty()) format::write_stub(opts.db, shard_names);
    publish_pending = create && !listed.empty();
  }

  // The shard's lists of hidden documents and of which page each document
  // id belongs to.
  void load_runs(Shard& sh) const {
    std::vector<schema::DocRun> located;
    if (!schema::decode_runs(sh.db.get_metadata(std::string(schema::kMetaHidden)), sh.hidden) ||
        !schema::decode_docids(sh.db.get_metadata(std::string(schema::kMetaDocIds)), located))
      throw Error(ErrorCode::IndexCorrupt, sh.path + ": unreadable list of document ids",
                  "rebuild it with: taxon-index --rebuild", db_path);
    sh.located.clear();
    for (auto& r : located) sh.located.emplace(r.first, std::move(r));
  }

  std::string wanted_tag() const { return format::shard_tag(opts.shard_index, opts.shard_count); }

  // A folder built one shard at a time may be written again only as the
  // same shard of the same count, and a whole index not as one shard:
  // otherwise pages would be placed by another hash range than the one
  // already in it, and the readers of the stub would refuse the mix.
  void check_same_shard(const std::string& have, std::size_t listed) const {
    std::size_t hi = 0, hn = 0;
    if (listed != 1 || !format::parse_shard_tag(have, hi, hn)) return;
    if (opts.shard_count > 0)
      throw Error(
          ErrorCode::InvalidArgument,
          db_path + ": holds shard " + have + ", not shard " + wanted_tag(),
          "pass --shard " + have + " to update it, or --rebuild to make it shard " + wanted_tag(),
          db_path);
    if (hn > 1)
      throw Error(ErrorCode::InvalidArgument,
                  db_path + ": holds only shard " + have + " of an index built one shard at a time",
                  "pass --shard " + have + " to update it", db_path);
  }

  // Whether `dir` holds nothing but the lock file this Indexer just made.
  static bool only_lock_file(const fs::path& dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename() != format::kLockName) return false;
    return true;
  }

  // One more than the largest generation among the shard folders present
  // ("shard-3.2" is generation 2, "shard-3" generation 0).
  std::size_t next_generation() const {
    std::size_t g = 0;
    std::error_code ec;
    for (fs::directory_iterator it(opts.db, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!format::is_shard_name(name)) continue;
      const auto dot = name.find('.');
      if (dot != std::string::npos) g = std::max<std::size_t>(g, std::stoul(name.substr(dot + 1)));
    }
    return g + 1;
  }

  // Removes shard folders that no stub lists any more (an interrupted
  // rebuild's, an old generation's) and compaction copies left by a crash.
  // Only in a folder with the marker, only folders named as taxon shard_names
  // them, and only when they hold a database or a killed run's leftovers.
  void remove_stale(const std::vector<std::string>& keep) const {
    if (!format::is_index_folder(opts.db)) return;
    std::error_code ec;
    std::vector<fs::path> doomed;
    for (fs::directory_iterator it(opts.db, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      auto ends = [&name](std::string_view tail) {
        return name.size() > tail.size() &&
               name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
      };
      const bool copy = ends(".compact") || ends(".merge");
      const std::string base = copy ? name.substr(0, name.rfind('.')) : name;
      if (!format::is_shard_name(base)) continue;
      if (!copy && (std::find(keep.begin(), keep.end(), name) != keep.end() ||
                    std::find(shard_names.begin(), shard_names.end(), name) != shard_names.end()))
        continue;
      const auto state = format::shard_state(it->path());
      if (state == format::ShardState::Ready || state == format::ShardState::Empty)
        doomed.push_back(it->path());
    }
    for (const auto& p : doomed) fs::remove_all(p, ec);
  }

  // After a rebuild's last commit: the stub lists the new shards, and the old ones go.
  void publish() {
    if (!publish_pending) return;
    format::write_stub(opts.db, shard_names);
    publish_pending = false;
    remove_stale(shard_names);
  }

  // The shard of this folder that holds page `id`, or null when it belongs to
  // a shard written elsewhere.
  Shard* shard_for(const std::string& id) {
    const std::size_t s = format::shard_of(id, total);
    return s >= first && s - first < shards.size() ? &shards[s - first] : nullptr;
  }

  // Hides the documents of page `id`'s stored version: they stay until the
  // shard is merged (index/merge.h).
  static void remove_docs(Shard& sh, const std::string& id, Analyzer& an) {
    // The spelling table counts words per page: take this page's out again.
    schema::PageData old;
    if (!schema::decode(sh.db.get_metadata(std::string(schema::kMetaPagePrefix) + id), old)) return;
    for (const auto& w : format::spelling_words(old.outline, an)) --sh.spelling[w];
    schema::DocRun run = index::hidden_run(sh.db, schema::page_term(id, old.version));
    if (run.first == 0) return;
    sh.located.erase(run.first);
    sh.located_changed = true;
    sh.churn += run.last - run.first + 1;
    sh.hidden.push_back(std::move(run));
    sh.hidden_changed = true;
    sh.dirty = true;
  }

  // Writes a page's record; memory keeps it without the outline (copied
  // with it and then cleared, every page's outline kept its capacity: 175 MB
  // at a million headings).
  static void set_page(Shard& sh, const std::string& id, schema::PageData& data) {
    sh.db.set_metadata(std::string(schema::kMetaPagePrefix) + id, schema::encode(data));
    std::vector<schema::OutlineEntry> outline = std::move(data.outline);
    data.outline.clear();
    sh.pages[id] = data;
    data.outline = std::move(outline);
    sh.dirty = true;
  }

  // A page whose file changed only in mtime or size: its stored record, outline and all, gets
  // the new file state.
  static void touch_page(Shard& sh, const std::string& id, const schema::PageData& state) {
    schema::PageData full;
    if (!schema::decode(sh.db.get_metadata(std::string(schema::kMetaPagePrefix) + id), full))
      full = state;
    full.mtime_ns = state.mtime_ns;
    full.size = state.size;
    set_page(sh, id, full);
  }

  static void write(Shard& sh, format::PreparedPage& p, bool existed, Analyzer& an) {
    if (existed) remove_docs(sh, p.id, an);
    sh.next_version = std::max(sh.next_version, p.data.version + 1);
    if (!p.docs.empty()) {
      schema::DocRun run{p.id, sh.db.get_lastdocid() + 1, 0};
      for (auto& d : p.docs) run.last = sh.db.add_document(d);
      sh.located[run.first] = std::move(run);
      sh.located_changed = true;
    }
    for (const auto& w : p.spelling) ++sh.spelling[w];
    p.data.headings = static_cast<std::uint32_t>(p.docs.size());
    p.data.outline = std::move(p.outline);
    set_page(sh, p.id, p.data);
    sh.pending += p.docs.size();
    sh.churn += p.docs.size();
  }

  static void forget(Shard& sh, const std::string& id, Analyzer& an) {
    remove_docs(sh, id, an);
    sh.db.set_metadata(std::string(schema::kMetaPagePrefix) + id, "");
    sh.pages.erase(id);
  }

  // Spelling counts change in memory and reach Xapian once a word per
  // commit: one add_spelling() a word a page costs more than the documents.
  static void commit_now(Shard& sh) {
    if (!sh.spelling.empty()) sh.tables_changed = true;
    for (const auto& [w, delta] : sh.spelling) {
      if (delta > 0)
        sh.db.add_spelling(w, static_cast<Xapian::termcount>(delta));
      else if (delta < 0)
        sh.db.remove_spelling(w, static_cast<Xapian::termcount>(-delta));
    }
    sh.spelling.clear();
    std::set<std::string> langs;
    for (const auto& [id, page] : sh.pages)
      if (page.headings > 0 && !page.lang.empty()) langs.insert(page.lang);
    std::string list;
    for (const auto& l : langs) list += (list.empty() ? "" : ",") + l;
    if (sh.db.get_metadata(std::string(schema::kMetaLanguages)) != list)
      sh.db.set_metadata(std::string(schema::kMetaLanguages), list);
    if (sh.hidden_changed)
      sh.db.set_metadata(std::string(schema::kMetaHidden), schema::encode_runs(sh.hidden));
    sh.hidden_changed = false;
    if (sh.located_changed) {
      std::vector<schema::DocRun> runs;
      runs.reserve(sh.located.size());
      for (const auto& [first, run] : sh.located) runs.push_back(run);
      sh.db.set_metadata(std::string(schema::kMetaDocIds), schema::encode_docids(runs));
    }
    sh.located_changed = false;
    if (const std::string v = std::to_string(sh.next_version);
        sh.db.get_metadata(std::string(schema::kMetaNextVersion)) != v)
      sh.db.set_metadata(std::string(schema::kMetaNextVersion), v);
    if (sh.tables_changed) index::copy_tables(sh.db);
    sh.tables_changed = false;
    sh.db.commit();
    sh.pending = 0;
    sh.dirty = false;
  }

  void maybe_commit(Shard& sh) const {
    if (sh.pending >= opts.commit_every) commit_now(sh);
  }

  bool wants_compaction(const Shard& sh) const {
    switch (opts.compact) {
      case IndexOptions::Compact::Never:
        return false;
      case IndexOptions::Compact::Always:
        return true;
      case IndexOptions::Compact::Auto:
        break;
    }
    return sh.churn > 0 && sh.churn * 4 >= sh.db.get_doccount();
  }

  // Writes a compact copy of the committed shard beside it (first merged,
  // when it holds hidden documents worth dropping), swaps the two
  // folders in one atomic rename (a reader or a waiting writer opens either
  // the old or the new shard, never a missing one), takes the new copy's
  // write lock before letting go of the old one's, then removes the old one.
  // Where the file system cannot swap folders, the shard stays as it is.
  void compact(Shard& sh, bool merge) const {
    const std::string tmp = sh.path + ".compact", merged = sh.path + ".merge";
    std::error_code ec;
    fs::remove_all(tmp, ec);
    try {
      if (merge) {
        index::write_merged(sh.db, sh.hidden, merged);
        Xapian::Database(merged).compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
        fs::remove_all(merged, ec);
      } else {
        sh.db.compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
      }
    } catch (const Xapian::Error&) {
      // The shard is committed and intact; a half-written copy (the disk
      // filled up) must not stay behind.
      fs::remove_all(tmp, ec);
      fs::remove_all(merged, ec);
      throw;
    }
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, sh.path.c_str(), RENAME_EXCHANGE) != 0) {
      fs::remove_all(tmp, ec);
      return;
    }
    Xapian::WritableDatabase fresh;
    try {
      fresh = Xapian::WritableDatabase(sh.path, Xapian::DB_OPEN | kShardFlags);
    } catch (const Xapian::DatabaseLockError&) {
      // Another writer opened the new copy first: everything is committed,
      // and this Indexer gives the shard up (later writes to it fail).
    }
    sh.db.close();
    sh.db = std::move(fresh);
    fs::remove_all(tmp, ec);
    if (merge) load_runs(sh);
  }

  // ---- worker side ----
  Result prepare(Task task, Analyzer& an, std::uint64_t version) {
    Result r;
    r.task = std::move(task);
    const FileEntry& f = r.task.file;
    auto fail = [&](int line, std::string msg) {
      r.kind = Result::Kind::Failed;
      r.diagnostics.push_back({Diagnostic::Severity::Error, f.abs, line, std::move(msg)});
      return std::move(r);
    };
    if (f.size > opts.max_file_size)
      return fail(0, "file of " + std::to_string(f.size) + " bytes is over the size limit of " +
                         std::to_string(opts.max_file_size) + " (--max-file-size)");
    index::before_read(f.abs);
    std::string bytes;
    if (std::string why = read_page(f.abs, opts.max_file_size, bytes); !why.empty())
      return fail(0, std::move(why));
    const std::string hash = util::hex64(util::fnv1a64(bytes)) + util::hex64(bytes.size());
    if (r.task.old && r.task.old->hash == hash && !r.task.force) {
      r.kind = Result::Kind::Touched;
      r.page.id = schema::page_id(f.abs);
      r.page.data = *r.task.old;
      r.page.data.mtime_ns = f.mtime_ns;
      r.page.data.size = f.size;
      return r;
    }
    const index::HugoSite* site = nullptr;
    std::size_t site_index = 0;
    for (; site_index < sites.size(); ++site_index)
      if (sites[site_index].content_dir_of(f.abs)) {
        site = &sites[site_index];
        break;
      }
    ParseResult parsed = parse_page(bytes, f.abs, site ? site_parse[site_index] : opts.parse);
    r.diagnostics = std::move(parsed.diagnostics);
    if (!parsed.ok) {
      r.kind = Result::Kind::Failed;
      return r;
    }
    const Page& page = parsed.page;
    index::HugoPlace place;
    if (site) place = index::hugo_place(*site, f.abs, page.front);
    std::string lang = page.front.lang;
    if (lang.empty()) lang = site ? place.lang : lang_from_path(f.abs);
    if (lang.empty()) lang = opts.default_lang;
    const std::string id = schema::page_id(f.abs);
    schema::PageData data;
    data.path = f.abs;
    data.mtime_ns = f.mtime_ns;
    data.size = f.size;
    data.hash = hash;
    data.title = page.front.title;
    data.lang = lang;
    data.categories = page.front.categories;
    data.tags = page.front.tags;
    data.url = site ? place.url : index::permalink(f.rel, page.front, lang, opts.default_lang);
    if (page.front.draft && !opts.drafts) {
      r.kind = Result::Kind::Draft;
      r.page.id = id;
      r.page.data = std::move(data);
      return r;
    }
    data.version = version;
    r.page = format::build_documents(page, id, lang, version, an);
    r.page.data = std::move(data);
    r.kind = Result::Kind::Ready;
    return r;
  }

  void load_synonyms() {
    std::ifstream in(opts.synonyms);
    if (!in) throw Error(ErrorCode::Io, opts.synonyms.string() + ": cannot read synonym file");
    // The synonym table lives in shard 0 (a reader merges all shards' tables),
    // so a folder of another shard keeps none.
    for (auto& sh : shards) {
      for (auto it = sh.db.synonym_keys_begin(); it != sh.db.synonym_keys_end(); ++it)
        sh.db.clear_synonyms(*it);
      sh.dirty = true;
      sh.tables_changed = true;
    }
    if (first != 0) return;
    Xapian::WritableDatabase& db = shards[0].db;
    std::string line;
    while (std::getline(in, line)) {
      std::string_view l = util::trim(line);
      if (l.empty() || l[0] == '#') continue;
      std::vector<std::string> group;
      std::size_t start = 0;
      std::string s(l);
      while (start <= s.size()) {
        auto comma = s.find(',', start);
        std::string member = analyzer.fold(
            s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!member.empty()) group.push_back(schema::cap_term(member));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      // A one-word synonym is stored as its stem ("Z" term), the form the
      // QueryParser matches, so its inflected forms match too; a phrase
      // stays as words.
      for (const auto& a : group)
        for (const auto& b : group) {
          if (a == b) continue;
          if (b.find(' ') == std::string::npos)
            db.add_synonym(a, std::string(schema::kStem) + analyzer.stem(b));
          else
            db.add_synonym(a, b);
        }
    }
  }
};

Indexer::Indexer(const IndexOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Indexer::~Indexer() = default;
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

namespace {

// What one shard's thread did.
struct ShardCounts {
  std::size_t added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0, drafts = 0,
              headings = 0;
  bool wrote = false;
};

}  // namespace

IndexSummary Indexer::index(const std::vector<fs::path>& roots, const ProgressFn& on_progress,
                            const DiagnosticFn& on_diagnostic) {
  Impl& im = *impl_;
  // A Hugo site's folders: the site's own folder is indexed through its
  // content folders, and every page under a site is placed as Hugo places it.
  im.sites.clear();
  im.site_parse.clear();
  std::vector<fs::path> walked;
  std::vector<Diagnostic> site_warnings;
  for (const auto& root : roots) {
    std::error_code ec;
    const fs::path abs = fs::absolute(root, ec).lexically_normal();
    std::optional<index::HugoSite> site;
    if (im.opts.hugo_config && fs::is_directory(abs, ec)) {
      try {
        site = index::find_hugo_site(abs);
      } catch (const index::ConfigError& e) {
        site_warnings.push_back({Diagnostic::Severity::Warning, e.file, e.line,
                                 e.why + " (Hugo settings not used: URLs follow the folders)"});
      }
    }
    if (!site) {
      walked.push_back(root);
      continue;
    }
    std::string abs_s = abs.string();
    while (abs_s.size() > 1 && abs_s.back() == '/') abs_s.pop_back();
    if (abs_s == site->root) {
      for (const auto& c : site->content)
        if (fs::is_directory(c.abs, ec))
          walked.push_back(root / fs::path(c.abs).lexically_relative(abs_s));
    } else {
      walked.push_back(root);
    }
    const bool known = std::any_of(im.sites.begin(), im.sites.end(),
                                   [&](const index::HugoSite& s) { return s.root == site->root; });
    if (!known) {
      ParseOptions po = im.opts.parse;
      po.anchors = site->anchors;
      im.sites.push_back(std::move(*site));
      im.site_parse.push_back(std::move(po));
    }
  }
  return im.index_walked(walked, site_warnings, on_progress, on_diagnostic);
}

IndexSummary Indexer::Impl::index_walked(const std::vector<fs::path>& roots,
                                         const std::vector<Diagnostic>& warnings,
                                         const ProgressFn& on_progress,
                                         const DiagnosticFn& on_diagnostic) {
  Impl& im = *this;
  const auto t0 = Clock::now();
  IndexSummary sum;
  std::vector<std::string> root_prefixes, roots_as_given;
  for (const auto& root : roots) {
    std::error_code ec;
    std::string abs = fs::absolute(root, ec).lexically_normal().string();
    while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
    root_prefixes.push_back(abs);
    std::string given = root.string();
    while (given.size() > 1 && given.back() == '/') given.pop_back();
    roots_as_given.push_back(given);
  }
  // Callbacks run under one lock: diagnostics come from the shards' threads.
  // A diagnostic names a file as the caller named its root ("content/x.md"
  // for the root "content"), not by the absolute path used inside.
  std::mutex callback_mu;
  auto diag = [&](const Diagnostic& d) {
    if (!on_diagnostic) return;
    Diagnostic shown = d;
    for (std::size_t i = 0; i < root_prefixes.size(); ++i) {
      const std::string& abs = root_prefixes[i];
      if (d.path == abs) {
        shown.path = roots_as_given[i];
        break;
      }
      if (abs != "/" && d.path.size() > abs.size() && d.path.compare(0, abs.size(), abs) == 0 &&
          d.path[abs.size()] == '/') {
        shown.path = roots_as_given[i] + d.path.substr(abs.size());
        break;
      }
    }
    std::lock_guard guard(callback_mu);
    on_diagnostic(shown);
  };
  for (const auto& w : warnings) diag(w);

  std::vector<FileEntry> files;
  std::vector<std::string> protect;  // folders we could not read: keep their pages
  index::Walker walker(im.opts, roots);
  for (const auto& root : roots) walker.walk(root, files, protect, diag, sum.skipped);
  std::sort(files.begin(), files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.abs < b.abs; });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const FileEntry& a, const FileEntry& b) { return a.abs == b.abs; }),
              files.end());

  return xapian_try(im.db_path, [&]() -> IndexSummary {
    if (!im.opts.synonyms.empty()) {
      im.load_synonyms();
      sum.wrote = true;
    }
    // Settings that changed since the last run: every page is read again.
    const nlohmann::json settings = settings_json(im.opts, im.sites);
    bool force = false;
    if (!im.shards.empty()) {
      const std::string stored = im.shards[0].db.get_metadata(std::string(kMetaSettings));
      const nlohmann::json before = nlohmann::json::parse(stored, nullptr, false);
      if (before.is_object()) {
        for (const char* key : kShapingSettings) {
          if (before.value(key, nlohmann::json()) == settings[key]) continue;
          force = true;
          sum.settings_changed.push_back(key);
        }
      }
    }
    const std::size_t n = im.shards.size();
    std::set<std::string> seen;
    std::vector<std::vector<Task>> tasks(n);
    for (auto& f : files) {
      std::string id = schema::page_id(f.abs);
      Shard* home = im.shard_for(id);
      if (!home) {
        ++sum.other_shards;
        continue;
      }
      seen.insert(id);
      const auto s = static_cast<std::size_t>(home - im.shards.data());
      auto& pages = home->pages;
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
      tasks[s].push_back(std::move(t));
    }
    // Pages under these roots that are gone (or no longer match the globs).
    std::vector<std::vector<std::string>> gone(n);
    for (std::size_t s = 0; s < n; ++s) {
      for (const auto& entry : im.shards[s].pages) {
        const std::string& id = entry.first;
        const std::string& path = entry.second.path;
        if (seen.count(id)) continue;
        auto under = [&path](const std::string& prefix) {
          return path == prefix ||
                 (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
                  (prefix == "/" || path[prefix.size()] == '/'));
        };
        if (!std::any_of(root_prefixes.begin(), root_prefixes.end(), under)) continue;
        if (std::any_of(protect.begin(), protect.end(), under)) continue;
        gone[s].push_back(id);
      }
    }
    const std::size_t files_total = seen.size();
    std::atomic<std::size_t> done{sum.unchanged}, headings{0};

    // One thread a shard: it reads, parses, analyzes and writes its own
    // shard's pages, so the Xapian writers run side by side.
    std::vector<ShardCounts> counts(n);
    std::vector<std::exception_ptr> errors(n);
    std::atomic<std::size_t> running{n};
    std::mutex wake_mu;
    std::condition_variable wake;
    std::vector<std::thread> threads;
    for (std::size_t s = 0; s < n; ++s) {
      threads.emplace_back([&, s] {
        Shard& sh = im.shards[s];
        ShardCounts& c = counts[s];
        try {
          Analyzer an(im.opts.default_lang);
          for (auto& task : tasks[s]) {
            const std::string path = task.file.abs;
            Result r;
            try {
              r = im.prepare(std::move(task), an, sh.next_version);
            } catch (const std::exception& e) {
              r.kind = Result::Kind::Failed;
              r.diagnostics.push_back({Diagnostic::Severity::Error, path, 0, e.what()});
            }
            for (const auto& d : r.diagnostics) diag(d);
            const bool had_docs = r.task.old.has_value() && r.task.old->headings > 0;
            switch (r.kind) {
              case Result::Kind::Failed:
                ++c.skipped;
                break;
              case Result::Kind::Touched:
                Impl::touch_page(sh, r.page.id, r.page.data);
                ++c.unchanged;
                c.wrote = true;
                break;
              case Result::Kind::Draft:
                if (had_docs) {
                  Impl::remove_docs(sh, r.page.id, an);
                  ++c.removed;
                }
                r.page.data.headings = 0;
                Impl::set_page(sh, r.page.id, r.page.data);
                ++c.drafts;
                c.wrote = true;
                break;
              case Result::Kind::Ready:
                Impl::write(sh, r.page, had_docs, an);
                if (had_docs)
                  ++c.updated;
                else
                  ++c.added;
                c.headings += r.page.docs.size();
                headings += r.page.docs.size();
                c.wrote = true;
                im.maybe_commit(sh);
                break;
            }
            ++done;
          }
          for (const auto& id : gone[s]) {
            if (sh.pages[id].headings > 0) ++c.removed;
            Impl::forget(sh, id, an);
            c.wrote = true;
          }
          if (sh.dirty) Impl::commit_now(sh);
          const bool merge = im.opts.compact != IndexOptions::Compact::Never &&
                             index::wants_merge(sh.hidden, sh.db.get_doccount());
          if (merge || im.wants_compaction(sh)) im.compact(sh, merge);
          sh.churn = 0;
        } catch (const Xapian::Error& e) {
          errors[s] = std::make_exception_ptr(from_xapian(e, sh.path));
        } catch (...) {
          errors[s] = std::current_exception();
        }
        std::lock_guard guard(wake_mu);
        --running;
        wake.notify_one();
      });
    }
    auto report = [&] {
      if (!on_progress) return;
      std::lock_guard guard(callback_mu);
      on_progress({done.load(), files_total, headings.load(),
                   std::chrono::duration<double>(Clock::now() - t0).count()});
    };
    {
      std::unique_lock guard(wake_mu);
      while (running > 0) {
        wake.wait_for(guard, std::chrono::milliseconds(100));
        guard.unlock();
        report();
        guard.lock();
      }
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    for (const auto& c : counts) {
      sum.added += c.added;
      sum.updated += c.updated;
      sum.removed += c.removed;
      sum.unchanged += c.unchanged;
      sum.skipped += c.skipped;
      sum.drafts += c.drafts;
      sum.headings += c.headings;
      sum.wrote = sum.wrote || c.wrote;
    }
    // The settings go in last: a run cut short leaves the old ones, and the
    // next run reads every page again.
    const std::string settings_text = settings.dump();
    for (auto& sh : im.shards) {
      if (sh.db.get_metadata(std::string(kMetaSettings)) != settings_text) {
        sh.db.set_metadata(std::string(kMetaSettings), settings_text);
        sh.dirty = true;
        sum.wrote = true;
      }
      if (sh.dirty) Impl::commit_now(sh);  // the synonym table, the settings
    }
    im.publish();
    sum.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return sum;
  });
}

void Indexer::add_page(const Page& page, const std::string& path) {
  Impl& im = *impl_;
  xapian_try(im.db_path, [&] {
    const std::string id = schema::page_id(path);
    Shard* sh = im.shard_for(id);
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
    Impl::write(*sh, p, it != sh->pages.end() && it->second.headings > 0, im.analyzer);
  });
}

void Indexer::remove_page(const std::string& path) {
  Impl& im = *impl_;
  xapian_try(im.db_path, [&] {
    const std::string id = schema::page_id(path);
    Shard* sh = im.shard_for(id);
    if (sh && sh->pages.count(id)) Impl::forget(*sh, id, im.analyzer);
  });
}

void Indexer::commit() {
  xapian_try(impl_->db_path, [&] {
    for (auto& sh : impl_->shards)
      if (sh.dirty) Impl::commit_now(sh);
    impl_->publish();
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

std::optional<IndexOptions> stored_index_options(const fs::path& db) {
  std::error_code ec;
  if (!fs::is_directory(db, ec) || !format::is_index_folder(db)) return std::nullopt;
  return xapian_try(db.string(), [&]() -> std::optional<IndexOptions> {
    for (const auto& entry : format::read_index_stub(db)) {
      // Only a database as taxon writes it is opened (a FIFO would block);
      // the run itself reports what is wrong with any other.
      if (format::shard_state(entry.path) != format::ShardState::Ready) return std::nullopt;
      Xapian::Database d(entry.path.string(), Xapian::DB_BACKEND_GLASS);
      const nlohmann::json j =
          nlohmann::json::parse(d.get_metadata(std::string(kMetaSettings)), nullptr, false);
      if (!j.is_object()) continue;
      IndexOptions o;
      o.include = j.value("include", o.include);
      o.exclude = j.value("exclude", o.exclude);
      o.honour_ignore_files = j.value("ignore-files", o.honour_ignore_files);
      o.hugo_config = j.value("hugo-config", o.hugo_config);
      o.drafts = j.value("drafts", o.drafts);
      o.default_lang = j.value("lang", o.default_lang);
      o.parse.map_shortcodes = j.value("map-shortcode", o.parse.map_shortcodes);
      o.max_file_size = j.value("max-file-size", o.max_file_size);
      o.synonyms = j.value("synonyms", std::string());
      return o;
    }
    return std::nullopt;
  });
}

}  // namespace taxon
