// SPDX-License-Identifier: MIT
// What a Searcher holds: the shards it opened (and how it checks that they
// are the ones taxon wrote), page records, the index's languages and the
// caches queries share. Opening is in open.cpp, page records and document
// ids in state.cpp, the spelling table's answers in spelling.cpp and
// word_forms.cpp.
#ifndef TAXON_SEARCH_STATE_H_
#define TAXON_SEARCH_STATE_H_

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "format/layout.h"
#include "format/schema.h"
#include "search/live.h"
#include "search/page_record.h"
#include "taxon/analyzer.h"
#include "taxon/searcher.h"

namespace taxon::search {

// Page records read for hits (each a PageRecord, its outline packed), up to
// a budget of bytes: the least recently used are dropped first, one at a
// time, so a long-lived Searcher neither holds the whole index nor drops
// every record at once.
class PageCache {
 public:
  explicit PageCache(std::size_t budget = OpenOptions{}.page_cache_bytes) : budget_(budget) {}
  void set_budget(std::size_t budget);
  // The record of page `id`, made the most recently used; null when absent.
  const PageRecord* find(const std::string& id);
  // Keeps `d` as the most recently used, then drops the least recently used
  // past the budget (never the one kept).
  const PageRecord* add(const std::string& id, schema::PageData&& d);
  void clear();
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  // About how much memory a record of page `id` takes kept here.
  static std::size_t footprint(const std::string& id, const PageRecord& r);

 private:
  void trim();
  struct Entry {
    std::string id;
    PageRecord data;
    std::size_t bytes = 0;
  };
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_id_;
  std::size_t bytes_ = 0;
  std::size_t budget_ = 0;
};

// The state field processors need; Searcher::Impl is this and nothing more.
struct SearcherState {
  std::string path;
  OpenOptions options;
  bool single = false;                   // one database, not a stub of shards
  bool remote = false;                   // a shard is remote: queries hold no code of ours
  std::size_t listed_count = 0;          // shards the stub lists
  std::vector<std::size_t> positions;    // each opened shard's place in the stub, from 0
  std::vector<std::string> shard_names;  // each opened shard: "HOST:PORT …", "" when local
  std::vector<std::string> missing;      // remote shards left out (allow_partial), and why
  Xapian::Database db;                   // all shards as one
  std::vector<Xapian::Database> shards;  // each shard: page metadata lives in its page's shard
  // The spelling and synonym tables: the shards' own, or for a remote
  // shard (whose tables Xapian's remote protocol does not carry) a local
  // database rebuilt from the copy in its metadata.
  Xapian::Database vocab;
  std::vector<Xapian::Database> vocab_shards;
  Analyzer analyzer{"en"};
  // Page records read for hits (OpenOptions::page_cache_bytes).
  PageCache page_cache;
  // Every page's record without its outline, for page: (loaded on first use).
  std::unordered_map<std::string, schema::PageData> page_list;
  bool all_pages_loaded = false;
  std::unordered_map<std::string, std::string> folded_titles;  // page id -> folded title, for page:
  // Snowball names of the languages of the index's pages (english when none
  // is recorded): a query's words are stemmed in each.
  std::vector<std::string> languages;
  // The language codes of the index's pages (lowercased, as their lang:
  // terms hold them) by the Snowball name a query word is stemmed in to
  // meet their words: codes without a stemmer ("zh", "ja") under
  // `unstemmed_as`.
  std::map<std::string, std::vector<std::string>> codes_by_stemmer;
  // What the indexer stemmed the pages of a language without a stemmer in:
  // the index's default language (its "lang" setting), as a Snowball name,
  // "none" when that has no stemmer either. `analyzer` is made for it too.
  std::string unstemmed_as = "english";
  // How many documents each of those codes' lang: terms has.
  std::map<std::string, Xapian::doccount> docs_by_code;
  std::map<std::vector<std::string>, std::set<std::string>> stop_cache;
  // The page terms of the shards' hidden documents (index/merge.h), and how many there are.
  std::vector<std::string> hidden_terms;
  Xapian::doccount hidden_docs = 0;
  // The local shards' hidden runs, for the posting source that leaves them out.
  std::shared_ptr<const HiddenRuns> hidden_runs;
  // Each opened shard's list of which page each document id belongs to
  // (kMetaDocIds), read at the shard's first hit.
  std::vector<std::string> docids;
  std::vector<bool> docids_loaded;

  // ---- opening (open.cpp) ----

  // Opens what `path` names: an index folder (its stub's shards, or a single
  // database), or a stub file the user named. A rebuild may replace the
  // shards between reading the stub and opening them: then the stub has
  // changed, and it is read again.
  void open();
  // Every shard is of this schema version and, behind a stub, is the shard
  // its line says, so an edited stub (lines swapped, one listed twice or
  // left out) is an error and not a silent part of the hits.
  void check_schema();
  // The remote shards that no longer answer, each "HOST:PORT (shard I of
  // N): why".
  std::vector<std::string> unreachable();

  // ---- page records and document ids (state.cpp) ----

  // The hidden documents' page terms and count, from each shard's metadata.
  void load_runs();
  // The languages of the index's pages, from each shard's metadata.
  void load_languages();
  std::string default_language();

  // The page and ordinal of document `did` of the combined database (Xapian
  // numbers the documents of n shards in turn: shard (did-1) % n holds it as
  // (did-1) / n + 1), from the shard's list: no document is read (a remote
  // shard without term lists cannot send one).
  bool locate(Xapian::docid did, std::string& page_id, int& ordinal);

  /// `q` without the documents of replaced and removed pages.
  Xapian::Query live(Xapian::Query q) const {
    return live_only(std::move(q), hidden_terms, remote, hidden_runs);
  }

  /// The heading document `did` stands for, from its page's record: false
  /// when the index does not say. `page_out`, when given, gets the record
  /// (valid until the next page()). No document is read.
  bool heading(Xapian::docid did, schema::HeadingData& out, const PageRecord** page_out = nullptr);

  // The record of page `id` (cached), or null when no shard holds it.
  const PageRecord* page(const std::string& id);
  // Every page's record without its outline into page_list, once.
  void load_all_pages();
  const std::string& folded_title(const std::string& id, const std::string& title);

  // The stop words of these languages, folded as query words are.
  const std::set<std::string>& stop_words(const std::vector<std::string>& langs);

  // ---- the spelling table (spelling.cpp, word_forms.cpp) ----

  // Xapian's suggestion over several shards misses words a single shard
  // finds (the trigram candidates are gathered per shard), so all shards
  // together and each shard alone are asked, and the closest answer, then
  // the most frequent, wins.
  std::string spelling_suggestion(const std::string& word);

  // A word the index does not hold, read as two words it does hold
  // ("frontmatter": "front", "matter"), for pages that write them apart;
  // the split whose rarer half is most frequent. Empty when there is none.
  std::pair<std::string, std::string> split_in_two(const std::string& word) const;

  // Whether `prefix` starts a vocabulary word other than itself.
  bool starts_words(const std::string& prefix) const;

  // The most frequent vocabulary word that `prefix` starts, other than
  // itself, of those `wanted` accepts (all when none is given); at most
  // kMaxCompletionsSeen words are looked at.
  std::string best_completion(const std::string& prefix,
                              const std::function<bool(const std::string&)>& wanted = {}) const;

 private:
  [[noreturn]] void unreadable_lists(std::size_t k) const;
  // Opening, one attempt (open.cpp).
  void open_once();
  std::vector<format::StubEntry> read_listing();
  bool open_remote(const format::StubEntry& e, const std::string& name);
  void open_local(const format::StubEntry& e);
  // The stub's bytes, or "" (to notice a rebuild swapping it).
  std::string stub_text() const;
  std::string shard_name(const format::StubEntry& e, std::size_t i) const;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_STATE_H_
