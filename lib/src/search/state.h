// SPDX-License-Identifier: MIT
// What a Searcher holds: the shards it opened (and how it checks that they
// are the ones taxon wrote), page records, the index's languages and the
// caches queries share.
#ifndef TAXON_SEARCH_STATE_H_
#define TAXON_SEARCH_STATE_H_

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "analysis/stopwords.h"
#include "format/layout.h"
#include "format/schema.h"
#include "index/tables.h"
#include "search/live.h"
#include "search/vocabulary.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "taxon/searcher.h"
#include "taxon/version.h"
#include "util/text.h"

namespace taxon::search {

namespace fs = std::filesystem;

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
  // Page records read for hits, outlines included; emptied when it grows
  // past kPageCacheSize, so a long-lived Searcher does not hold the index.
  static constexpr std::size_t kPageCacheSize = 4096;
  std::unordered_map<std::string, schema::PageData> page_cache;
  // Every page's record without its outline, for page: (loaded on first use).
  std::unordered_map<std::string, schema::PageData> page_list;
  bool all_pages_loaded = false;
  std::unordered_map<std::string, std::string> folded_titles;  // page id -> folded title, for page:
  // Snowball names of the languages of the index's pages (english when none
  // is recorded): a query's words are stemmed in each.
  std::vector<std::string> languages;
  std::map<std::vector<std::string>, std::set<std::string>> stop_cache;
  // The page terms of the shards' hidden documents (index/merge.h), and how many there are.
  std::vector<std::string> hidden_terms;
  Xapian::doccount hidden_docs = 0;
  // Each opened shard's list of which page each document id belongs to
  // (kMetaDocIds), read at the shard's first hit.
  std::vector<std::string> docids;
  std::vector<bool> docids_loaded;

  [[noreturn]] void unreadable_lists(std::size_t k) const {
    throw Error(
        ErrorCode::IndexCorrupt,
        path + ": unreadable list of document ids in shard " + std::to_string(positions[k] + 1),
        "rebuild it with: taxon-index --rebuild", path);
  }

  void load_runs() {
    hidden_terms.clear();
    hidden_docs = 0;
    docids.assign(shards.size(), {});
    docids_loaded.assign(shards.size(), false);
    for (std::size_t k = 0; k < shards.size(); ++k) {
      std::vector<schema::DocRun> runs;
      if (!schema::decode_runs(shards[k].get_metadata(std::string(schema::kMetaHidden)), runs))
        unreadable_lists(k);
      for (auto& r : runs) {
        hidden_docs += r.last - r.first + 1;
        hidden_terms.push_back(std::move(r.name));
      }
    }
  }

  // The page and ordinal of document `did` of the combined database (Xapian
  // numbers the documents of n shards in turn: shard (did-1) % n holds it as
  // (did-1) / n + 1), from the shard's list: no document is read (a remote
  // shard without term lists cannot send one).
  bool locate(Xapian::docid did, std::string& page_id, int& ordinal) {
    if (did == 0 || shards.empty()) return false;
    const std::size_t k = (did - 1) % shards.size();
    const Xapian::docid local = (did - 1) / static_cast<Xapian::docid>(shards.size()) + 1;
    if (!docids_loaded[k]) {
      docids[k] = shards[k].get_metadata(std::string(schema::kMetaDocIds));
      docids_loaded[k] = true;
    }
    return schema::find_docid(docids[k], local, page_id, ordinal);
  }

  /// `q` without the documents of replaced and removed pages.
  Xapian::Query live(Xapian::Query q) const {
    return live_only(std::move(q), hidden_terms, remote);
  }

  /// The heading document `did` stands for, from its page's record: false
  /// when the index does not say. `page_out`, when given, gets the record
  /// (valid until the next page()). No document is read.
  bool heading(Xapian::docid did, schema::HeadingData& out,
               const schema::PageData** page_out = nullptr) {
    std::string id;
    int ordinal = 0;
    if (!locate(did, id, ordinal)) return false;
    const schema::PageData* p = page(id);
    if (!p || !schema::heading_of(*p, id, ordinal, out)) return false;
    if (page_out) *page_out = p;
    return true;
  }

  // The stop words of these languages, folded as query words are.
  const std::set<std::string>& stop_words(const std::vector<std::string>& langs) {
    auto it = stop_cache.find(langs);
    if (it != stop_cache.end()) return it->second;
    std::set<std::string> out;
    for (const auto& l : langs)
      for (auto& w : analyzer.words(analysis::stopword_list(l))) out.insert(std::move(w));
    return stop_cache.emplace(langs, std::move(out)).first->second;
  }

  // A word the index does not hold, read as two words it does hold
  // ("frontmatter": "front", "matter"), for pages that write them apart;
  // the split whose rarer half is most frequent. Empty when there is none.
  std::pair<std::string, std::string> split_in_two(const std::string& word) {
    std::pair<std::string, std::string> best;
    Xapian::doccount best_freq = 0;
    // Halves of three bytes or more: shorter ones ("a", "to") split almost anything.
    for (std::size_t i = 3; i + 3 <= word.size(); ++i) {
      if ((static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) continue;  // inside a character
      const std::string a = word.substr(0, i), b = word.substr(i);
      const Xapian::doccount f =
          std::min(spelling_frequency(vocab, a), spelling_frequency(vocab, b));
      if (f > best_freq) best = {a, b}, best_freq = f;
    }
    return best;
  }

  // Whether `prefix` starts a vocabulary word other than itself.
  bool starts_words(const std::string& prefix) {
    auto it = vocab.spellings_begin();
    it.skip_to(prefix);
    if (it != vocab.spellings_end() && *it == prefix) ++it;
    return it != vocab.spellings_end() && (*it).compare(0, prefix.size(), prefix) == 0;
  }

  // The most frequent vocabulary word that `prefix` starts, other than
  // itself, of those `wanted` accepts (all when none is given); at most
  // kMaxCompletionsSeen words are looked at.
  std::string best_completion(const std::string& prefix,
                              const std::function<bool(const std::string&)>& wanted = {}) {
    static constexpr std::size_t kMaxCompletionsSeen = 1000;
    std::string best;
    Xapian::doccount best_freq = 0;
    std::size_t seen = 0;
    auto it = vocab.spellings_begin();
    it.skip_to(prefix);
    for (; it != vocab.spellings_end() && seen++ < kMaxCompletionsSeen; ++it) {
      const std::string& w = *it;
      if (w.compare(0, prefix.size(), prefix) != 0) break;
      if (w != prefix && it.get_termfreq() > best_freq && (!wanted || wanted(w)))
        best = w, best_freq = it.get_termfreq();
    }
    return best;
  }

  void load_languages() {
    std::set<std::string> names;
    for (auto& shard : shards) {
      const std::string list = shard.get_metadata(std::string(schema::kMetaLanguages));
      std::size_t i = 0;
      while (i < list.size()) {
        std::size_t j = list.find(',', i);
        if (j == std::string::npos) j = list.size();
        if (std::string l = Analyzer::stemmer_language(list.substr(i, j - i)); !l.empty())
          names.insert(l);
        i = j + 1;
      }
    }
    languages.assign(names.begin(), names.end());
    if (languages.empty()) languages.push_back("english");
  }

  const std::string& folded_title(const std::string& id, const std::string& title) {
    auto it = folded_titles.find(id);
    if (it == folded_titles.end()) it = folded_titles.emplace(id, analyzer.fold(title)).first;
    return it->second;
  }

  const schema::PageData* page(const std::string& id) {
    auto it = page_cache.find(id);
    if (it != page_cache.end()) return &it->second;
    const std::string key = std::string(schema::kMetaPagePrefix) + id;
    schema::PageData d;
    // Its own shard first; a merged or hand-made stub may hold it elsewhere.
    const std::size_t home = format::shard_of(id, listed_count);
    const auto at = std::find(positions.begin(), positions.end(), home);
    bool found = at != positions.end() &&
                 schema::decode(
                     shards[static_cast<std::size_t>(at - positions.begin())].get_metadata(key), d);
    for (std::size_t i = 0; !found && i < shards.size(); ++i)
      found = schema::decode(shards[i].get_metadata(key), d);
    if (!found) return nullptr;
    if (page_cache.size() >= kPageCacheSize) page_cache.clear();
    return &page_cache.emplace(id, std::move(d)).first->second;
  }

  void load_all_pages() {
    if (all_pages_loaded) return;
    const std::string prefix(schema::kMetaPagePrefix);
    for (auto& shard : shards) {
      for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix);
           ++it) {
        std::string id = (*it).substr(prefix.size());
        if (page_list.count(id)) continue;
        schema::PageData d;
        if (schema::decode(shard.get_metadata(*it), d, false)) page_list.emplace(id, std::move(d));
      }
    }
    all_pages_loaded = true;
  }

  // Xapian's suggestion over several shards misses words a single shard
  // finds (the trigram candidates are gathered per shard), so all shards
  // together and each shard alone are asked, and the closest answer, then
  // the most frequent, wins.
  std::string spelling_suggestion(const std::string& word) {
    if (vocab_shards.size() == 1) return vocab_shards[0].get_spelling_suggestion(word);
    std::string best;
    std::size_t best_distance = 0;
    Xapian::doccount best_freq = 0;
    std::vector<std::string> candidates{vocab.get_spelling_suggestion(word)};
    for (auto& shard : vocab_shards) candidates.push_back(shard.get_spelling_suggestion(word));
    for (const std::string& s : candidates) {
      if (s.empty()) continue;
      const std::size_t d = util::edit_distance(word, s);
      const Xapian::doccount f = spelling_frequency(vocab, s);
      if (best.empty() || d < best_distance ||
          (d == best_distance && (f > best_freq || (f == best_freq && s < best)))) {
        best = s;
        best_distance = d;
        best_freq = f;
      }
    }
    return best;
  }

  // Opens what `path` names: an index folder (its stub's shards, or a single
  // database), or a stub file the user named. A rebuild may replace the
  // shards between reading the stub and opening them: then the stub has
  // changed, and it is read again.
  void open() {
    for (int attempt = 0;; ++attempt) {
      const std::string before = stub_text();
      try {
        open_once();
        return;
      } catch (const Error&) {
        if (attempt >= 3 || stub_text() == before) throw;
      } catch (const Xapian::Error&) {
        if (attempt >= 3 || stub_text() == before) throw;
      }
    }
  }

  // The stub's bytes, or "" (to notice a rebuild swapping it).
  std::string stub_text() const {
    std::string text;
    std::error_code ec;
    try {
      format::read_small_file(
          fs::is_directory(path, ec) ? fs::path(path) / format::kStubName : fs::path(path),
          format::kMaxStubBytes, text);
    } catch (const Error&) {
    }
    return text;
  }

  void open_once() {
    db = Xapian::Database();
    vocab = Xapian::Database();
    shards.clear();
    vocab_shards.clear();
    single = false;
    remote = false;
    positions.clear();
    shard_names.clear();
    missing.clear();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      throw Error(ErrorCode::NotFound, path + ": no index here", "create one with: taxon-index DIR",
                  path);
    std::vector<format::StubEntry> listed;
    if (S_ISDIR(st.st_mode)) {
      listed = format::read_index_stub(path, options.allow_remote);
      if (listed.empty()) {
        struct stat gst {};
        if (::stat((fs::path(path) / "iamglass").c_str(), &gst) != 0)
          throw Error(ErrorCode::NotFound, path + ": no index here",
                      "create one with: taxon-index DIR", path);
        // One database (xapian-compact of the stub, or an index made by hand).
        listed.push_back({fs::path(path), {}, 0, 0});
        single = true;
      }
    } else if (S_ISREG(st.st_mode)) {
      listed = format::read_user_stub(path, options.allow_remote);
      if (listed.empty())
        throw Error(ErrorCode::IndexCorrupt, path + ": the stub lists no databases", {}, path);
    } else {
      throw Error(ErrorCode::NotFound, path + ": not an index folder or a stub file", {}, path);
    }
    listed_count = listed.size();
    for (std::size_t i = 0; i < listed.size(); ++i) {
      const format::StubEntry& e = listed[i];
      if (e.remote()) {
        remote = true;
        const std::string name = shard_name(e, i);
        try {
          const auto ms = static_cast<useconds_t>(options.remote_timeout_ms);
          Xapian::Database shard = Xapian::Remote::open(e.host, e.port, ms, ms);
          vocab_shards.push_back(index::cached_tables(shard));
          shards.push_back(std::move(shard));
        } catch (const Xapian::Error& x) {
          if (!options.allow_partial)
            throw Error(
                ErrorCode::Remote, path + ": " + name + " cannot be reached: " + x.get_msg(),
                "start its xapian-tcpsrv, or pass --allow-partial to search the others", path);
          missing.push_back(name + ": " + x.get_msg());
          continue;
        }
        positions.push_back(i);
        shard_names.push_back(name);
        db.add_database(shards.back());
        vocab.add_database(vocab_shards.back());
        continue;
      } else {
        std::string why;
        const std::string where =
            e.line > 0 ? " (listed on line " + std::to_string(e.line) + " of the stub)" : "";
        switch (format::shard_state(e.path, &why)) {
          case format::ShardState::Ready:
            break;
          case format::ShardState::Missing:
            throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": shard is missing" + where,
                        "rebuild it with: taxon-index --rebuild", path);
          case format::ShardState::Empty:
            throw Error(ErrorCode::IndexCorrupt,
                        e.path.string() + ": shard holds no database" + where,
                        "run taxon-index again to finish the index", path);
          case format::ShardState::NotDatabase:
            throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": not a shard: " + why + where,
                        "rebuild it with: taxon-index --rebuild", path);
        }
        shards.emplace_back(e.path.string(), Xapian::DB_BACKEND_GLASS);
        vocab_shards.push_back(shards.back());
      }
      positions.push_back(i);
      shard_names.emplace_back();
      db.add_database(shards.back());
      vocab.add_database(vocab_shards.back());
    }
    if (shards.empty())
      throw Error(ErrorCode::Remote, path + ": no shard can be reached", {}, path);
  }

  std::string shard_name(const format::StubEntry& e, std::size_t i) const {
    return e.host + ":" + std::to_string(e.port) + " (shard " + std::to_string(i + 1) + " of " +
           std::to_string(listed_count) + ")";
  }

  // The remote shards that no longer answer, each "HOST:PORT (shard I of
  // N): why".
  std::vector<std::string> unreachable() {
    std::vector<std::string> dead;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      if (shard_names[i].empty()) continue;
      try {
        shards[i].keep_alive();
      } catch (const Xapian::Error& x) {
        dead.push_back(shard_names[i] + ": " + x.get_msg());
      }
    }
    return dead;
  }

  // Every shard is of this schema version and, behind a stub, is the shard
  // its line says, so an edited stub (lines swapped, one listed twice or
  // left out) is an error and not a silent part of the hits.
  void check_schema() {
    const std::size_t n = listed_count;
    for (std::size_t k = 0; k < shards.size(); ++k) {
      const std::size_t i = positions[k];
      const std::string v = shards[k].get_metadata(std::string(schema::kMetaSchema));
      if (v != std::to_string(kSchemaVersion)) {
        throw Error(
            ErrorCode::IndexVersion,
            path + ": " +
                (v.empty() ? std::string("not a taxon index (no schema version)")
                           : "index has schema version " + v + ", this taxon reads version " +
                                 std::to_string(kSchemaVersion)) +
                (n > 1 ? " in shard " + std::to_string(i + 1) + " of " + std::to_string(n)
                       : std::string()),
            "rebuild it with: taxon-index --rebuild", path);
      }
      if (single) continue;
      const std::string have = shards[k].get_metadata(std::string(format::kMetaShard));
      // One shard of several, built alone (taxon-index --shard K/N).
      if (n == 1 && have != format::shard_tag(0, 1) && have.find('/') != std::string::npos &&
          have.substr(have.find('/')) != "/1")
        throw Error(ErrorCode::IndexCorrupt,
                    path + ": holds only shard " + have + " of an index (taxon-index --shard)",
                    "serve each shard with xapian-tcpsrv and query a stub of all of them "
                    "(taxon-index --stub HOST:PORT...), or query the shard folder itself",
                    path);
      if (have != format::shard_tag(i, n))
        throw Error(ErrorCode::IndexCorrupt,
                    path + ": line " + std::to_string(i + 1) + " of the stub is shard " +
                        (have.empty() ? std::string("?") : have) + ", expected " +
                        format::shard_tag(i, n) + " (the stub was edited?)",
                    "rebuild it with: taxon-index --rebuild", path);
    }
  }
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_STATE_H_
