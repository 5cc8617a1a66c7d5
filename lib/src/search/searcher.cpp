// SPDX-License-Identifier: MIT
// Query building, filters, grouping, facets, spelling and hit assembly.
// Ranking: BM25 over the heading documents, where the Z-stemmed query does
// the matching and exact (unstemmed) label words and the whole label add
// weight on top, so "mitigation" ranks a "Mitigation" label above a
// "Mitigated" one and "cafe" ranks "Cafe" above "Cafe Royale". Labels outweigh
// keyword phrases and ancestors' labels through their within-document
// frequencies (see index/document_builder.cpp).
#include "taxon/searcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>

#include <xapian.h>

#include "analysis/stopwords.h"
#include "index/document_builder.h"
#include "index/layout.h"
#include "index/schema.h"
#include "search/query_text.h"
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "taxon/version.h"
#include "util/text.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon {

std::string Crumb::text() const { return number.empty() ? label : number + " " + label; }

std::string Hit::breadcrumb(std::string_view sep) const {
  std::string out;
  for (const auto& a : ancestors) {
    if (!out.empty()) out.append(sep);
    out += a.text();
  }
  return out;
}

std::string Hit::heading() const { return number.empty() ? label : number + " " + label; }

namespace {

// BM25 parameters, tuned on the relevance suite (tests/relevance). Length
// normalisation (b) is in the stored wdfs (schema::normalized_wdf), so the
// query side runs BM25 with b = 0 and k1 on the same scale as those wdfs.
constexpr double kK1 = 1.2 * schema::kWdfScale;
constexpr double kExactBoost = 0.5;       // weight of exact words next to their stems
constexpr double kWholeLabelBoost = 1.5;  // weight of a query that is a whole label
// Totals are estimated from at least this many matches, and exact below it.
constexpr std::size_t kCheckAtLeast = 2000;

class PageSpy : public Xapian::MatchSpy {
 public:
  std::unordered_map<std::string, std::size_t> counts;
  void operator()(const Xapian::Document& doc, double) override {
    ++counts[doc.get_value(schema::kSlotPage)];
  }
};

}  // namespace

namespace {

// How many pages use `word` (its count in the spelling table, which holds
// every label and keyword word), 0 for a word the index does not know.
Xapian::doccount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  auto it = db.spellings_begin();
  it.skip_to(word);
  return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

// The state field processors need; Searcher::Impl is this and nothing more.
struct SearcherState {
  std::string path;
  OpenOptions options;
  bool single = false;                   // one database, not a stub of shards
  Xapian::Database db;                   // all shards as one
  std::vector<Xapian::Database> shards;  // each shard: page metadata lives in its page's shard
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
      const Xapian::doccount f = std::min(spelling_frequency(db, a), spelling_frequency(db, b));
      if (f > best_freq) best = {a, b}, best_freq = f;
    }
    return best;
  }

  // Whether `prefix` starts a vocabulary word other than itself.
  bool starts_words(const std::string& prefix) {
    auto it = db.spellings_begin();
    it.skip_to(prefix);
    if (it != db.spellings_end() && *it == prefix) ++it;
    return it != db.spellings_end() && (*it).compare(0, prefix.size(), prefix) == 0;
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
    auto it = db.spellings_begin();
    it.skip_to(prefix);
    for (; it != db.spellings_end() && seen++ < kMaxCompletionsSeen; ++it) {
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
    bool found = schema::decode(shards[index::shard_of(id, shards.size())].get_metadata(key), d);
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
    if (shards.size() == 1) return shards[0].get_spelling_suggestion(word);
    std::string best;
    std::size_t best_distance = 0;
    Xapian::doccount best_freq = 0;
    std::vector<std::string> candidates{db.get_spelling_suggestion(word)};
    for (auto& shard : shards) candidates.push_back(shard.get_spelling_suggestion(word));
    for (const std::string& s : candidates) {
      if (s.empty()) continue;
      const std::size_t d = util::edit_distance(word, s);
      const Xapian::doccount f = spelling_frequency(db, s);
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
      index::read_small_file(
          fs::is_directory(path, ec) ? fs::path(path) / index::kStubName : fs::path(path),
          index::kMaxStubBytes, text);
    } catch (const Error&) {
    }
    return text;
  }

  void open_once() {
    db = Xapian::Database();
    shards.clear();
    single = false;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      throw Error(ErrorCode::NotFound, path + ": no index here", "create one with: taxon-index DIR",
                  path);
    std::vector<index::StubEntry> listed;
    if (S_ISDIR(st.st_mode)) {
      listed = index::read_index_stub(path, options.allow_remote);
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
      listed = index::read_user_stub(path, options.allow_remote);
      if (listed.empty())
        throw Error(ErrorCode::IndexCorrupt, path + ": the stub lists no databases", {}, path);
    } else {
      throw Error(ErrorCode::NotFound, path + ": not an index folder or a stub file", {}, path);
    }
    for (const auto& e : listed) {
      if (e.remote()) {
        const auto ms = static_cast<useconds_t>(options.remote_timeout_ms);
        shards.push_back(Xapian::Remote::open(e.host, e.port, ms, ms));
      } else {
        std::string why;
        const std::string where =
            e.line > 0 ? " (listed on line " + std::to_string(e.line) + " of the stub)" : "";
        switch (index::shard_state(e.path, &why)) {
          case index::ShardState::Ready:
            break;
          case index::ShardState::Missing:
            throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": shard is missing" + where,
                        "rebuild it with: taxon-index --rebuild", path);
          case index::ShardState::Empty:
            throw Error(ErrorCode::IndexCorrupt,
                        e.path.string() + ": shard holds no database" + where,
                        "run taxon-index again to finish the index", path);
          case index::ShardState::NotDatabase:
            throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": not a shard: " + why + where,
                        "rebuild it with: taxon-index --rebuild", path);
        }
        shards.emplace_back(e.path.string(), Xapian::DB_BACKEND_GLASS);
      }
      db.add_database(shards.back());
    }
  }

  // Every shard is of this schema version and, behind a stub, is the shard
  // its line says, so an edited stub (lines swapped, one listed twice or
  // left out) is an error and not a silent part of the hits.
  void check_schema() {
    const std::size_t n = shards.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string v = shards[i].get_metadata(std::string(schema::kMetaSchema));
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
      const std::string have = shards[i].get_metadata(std::string(index::kMetaShard));
      if (have != index::shard_tag(i, n))
        throw Error(ErrorCode::IndexCorrupt,
                    path + ": line " + std::to_string(i + 1) + " of the stub is shard " +
                        (have.empty() ? std::string("?") : have) + ", expected " +
                        index::shard_tag(i, n) + " (the stub was edited?)",
                    "rebuild it with: taxon-index --rebuild", path);
    }
  }
};

}  // namespace

struct Searcher::Impl : SearcherState {};

namespace {

// ---- field processors: each normalizes its value and builds a filter ----

// The words of a label: or keywords: value (hidden by search::hide_field_values),
// and whether the last one ends in '*' (a prefix).
struct FieldWords {
  std::vector<std::string> words;
  bool last_is_prefix = false;
};

FieldWords field_words(Analyzer& analyzer, const std::string& value) {
  std::string v = search::decode_field_value(value);
  FieldWords out;
  out.last_is_prefix = !v.empty() && v.back() == '*';
  while (!v.empty() && v.back() == '*') v.pop_back();
  out.words = analyzer.words(v);
  return out;
}

class WordsField : public Xapian::FieldProcessor {
 public:
  WordsField(Analyzer& a, std::string prefix, std::size_t max_expansion)
      : analyzer_(a), prefix_(std::move(prefix)), max_expansion_(max_expansion) {}
  Xapian::Query operator()(const std::string& value) override {
    const auto [words, wildcard] = field_words(analyzer_, value);
    if (words.empty()) return Xapian::Query::MatchNothing;
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (wildcard && i + 1 == words.size())
        parts.emplace_back(Xapian::Query::OP_WILDCARD, prefix_ + words[i],
                           static_cast<Xapian::termcount>(max_expansion_),
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      else
        parts.emplace_back(prefix_ + words[i]);
    }
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
  }

 private:
  Analyzer& analyzer_;
  std::string prefix_;
  std::size_t max_expansion_;
};

// The stem terms of the index's vocabulary words (its spelling table: every
// label and keyword word) that start with `prefix`, in each of `langs`
// (Snowball names). When there are more than `limit`, the most frequent
// `limit` (a stem's frequency: its words' counts in the spelling table), as
// Xapian's WILDCARD_LIMIT_MOST_FREQUENT keeps a wildcard's most frequent
// terms: matching walks each one's postings.
std::vector<std::string> prefix_stems(const Xapian::Database& db, Analyzer& analyzer,
                                      const std::string& prefix, std::size_t limit,
                                      const std::vector<std::string>& langs) {
  std::unordered_map<std::string, Xapian::doccount> freq;
  auto it = db.spellings_begin();
  it.skip_to(prefix);
  for (; it != db.spellings_end(); ++it) {
    const std::string& w = *it;
    if (w.compare(0, prefix.size(), prefix) != 0) break;
    for (const auto& l : langs)
      freq[std::string(schema::kStem) + analyzer.stem(w, l)] += it.get_termfreq();
  }
  std::vector<std::pair<std::string, Xapian::doccount>> ranked(freq.begin(), freq.end());
  if (ranked.size() > limit) {
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(limit),
                      ranked.end(), [](const auto& a, const auto& b) {
                        return a.second != b.second ? a.second > b.second : a.first < b.first;
                      });
    ranked.resize(limit);
  }
  std::vector<std::string> out;
  for (auto& [term, n] : ranked) out.push_back(std::move(term));
  std::sort(out.begin(), out.end());
  return out;
}

// The stem terms of words in each of `langs`: what the index holds for them.
std::vector<std::string> stem_terms(const std::vector<std::string>& words, Analyzer& analyzer,
                                    const std::vector<std::string>& langs) {
  std::vector<std::string> out;
  for (const auto& w : words)
    for (const auto& l : langs) out.push_back(std::string(schema::kStem) + analyzer.stem(w, l));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A filter checked against each heading's stored text: it walks the
// postings of some terms (in one shard: Xapian clones it for each) and keeps
// the headings whose stored data passes holds(). It stands in for what
// would otherwise need terms or positions of its own in every document.
class StoredTextSource : public Xapian::PostingSource {
 public:
  StoredTextSource(Analyzer& a, std::vector<std::string> terms)
      : analyzer_(a), terms_(std::move(terms)) {}

  void init(const Xapian::Database& db) override {
    db_ = db;
    candidates_.clear();
    for (const auto& t : terms_)
      for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        candidates_.push_back(*it);
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    next_ = 0;
    current_ = 0;
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    return static_cast<Xapian::doccount>(candidates_.size() / 2);
  }
  Xapian::doccount get_termfreq_max() const override {
    return static_cast<Xapian::doccount>(candidates_.size());
  }

  void next(double) override { advance(); }

  void skip_to(Xapian::docid did, double) override {
    if (current_ != 0 && current_ >= did) return;
    next_ = static_cast<std::size_t>(
        std::lower_bound(candidates_.begin() + static_cast<std::ptrdiff_t>(next_),
                         candidates_.end(), did) -
        candidates_.begin());
    advance();
  }

  bool at_end() const override { return current_ == 0; }
  Xapian::docid get_docid() const override { return current_; }

 protected:
  virtual bool holds(const schema::HeadingData& d) = 0;
  Analyzer& analyzer_;
  std::vector<std::string> terms_;

 private:
  // Moves to the next candidate that holds, or to the end (0).
  void advance() {
    current_ = 0;
    while (next_ < candidates_.size()) {
      const Xapian::docid did = candidates_[next_++];
      schema::HeadingData d;
      if (schema::decode(db_.get_document(did).get_data(), d) && holds(d)) {
        current_ = did;
        return;
      }
    }
  }

  Xapian::Database db_;
  std::vector<Xapian::docid> candidates_;
  std::size_t next_ = 0;
  Xapian::docid current_ = 0;
};

// Headings whose keyword phrase holds a word (or, for a wildcard, a word
// starting with it), found through the stems of the word (or of the words
// the wildcard expands to): label, phrase and context share those terms.
class KeywordSource : public StoredTextSource {
 public:
  KeywordSource(Analyzer& a, std::vector<std::string> stems, std::string word, bool prefix)
      : StoredTextSource(a, std::move(stems)), word_(std::move(word)), prefix_(prefix) {}
  KeywordSource* clone() const override {
    return new KeywordSource(analyzer_, terms_, word_, prefix_);
  }

 private:
  bool holds(const schema::HeadingData& d) override {
    auto match = [this](const std::string& w) {
      return prefix_ ? w.compare(0, word_.size(), word_) == 0 : w == word_;
    };
    for (const auto& w : analyzer_.words(d.keywords, compounds_))
      if (match(w)) return true;
    for (const auto& c : compounds_)
      if (match(c.joined)) return true;
    return false;
  }
  std::vector<Analyzer::Compound> compounds_;
  std::string word_;
  bool prefix_;
};

// Headings where the words stand within `window` positions of each other,
// in order (a phrase, ADJ) or in any order (NEAR), in the stored text as
// words() splits it, or with its compounds joined (each one position, see
// Analyzer::joined_words). `groups` hold each word's terms in the index
// (its stems in every query language), whose postings give the candidates;
// `words` are the words as the query gives them, compared with the stored
// words. Positions are counted as the index did before it stopped storing
// them: the label's words from 1, then one position left empty, then the
// keyword phrase's, so a phrase does not run from the label into the
// keywords.
class WindowSource : public StoredTextSource {
 public:
  WindowSource(Analyzer& a, std::vector<std::vector<std::string>> groups,
               std::vector<std::string> words, std::size_t window, bool ordered)
      : StoredTextSource(a, {}),
        groups_(std::move(groups)),
        words_(std::move(words)),
        window_(window),
        ordered_(ordered) {}
  WindowSource* clone() const override {
    return new WindowSource(analyzer_, groups_, words_, window_, ordered_);
  }
  // Candidates: the postings of the rarest word's terms.
  void init(const Xapian::Database& db) override {
    std::size_t best = 0;
    Xapian::doccount best_freq = 0;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      Xapian::doccount f = 0;
      for (const auto& t : groups_[g]) f += db.get_termfreq(t);
      if (g == 0 || f < best_freq) best = g, best_freq = f;
    }
    terms_ = groups_.empty() ? std::vector<std::string>{} : groups_[best];
    StoredTextSource::init(db);
  }

 private:
  bool holds(const schema::HeadingData& d) override {
    const std::vector<std::string>& want = words_;
    // The distinct words wanted, how many times each, and the positions of
    // the stored words that are one of them (with which one), in order.
    std::vector<std::string> distinct;
    std::vector<std::size_t> need;
    std::vector<std::size_t> index(want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      auto it = std::find(distinct.begin(), distinct.end(), want[k]);
      index[k] = static_cast<std::size_t>(it - distinct.begin());
      if (it == distinct.end()) {
        distinct.push_back(want[k]);
        need.push_back(0);
      }
      ++need[index[k]];
    }
    std::vector<std::pair<std::size_t, std::size_t>> hits;  // (position, distinct word)
    std::size_t pos = 0;
    auto place = [&](const std::vector<std::string>& text) {
      for (const auto& w : text) {
        ++pos;
        auto it = std::find(distinct.begin(), distinct.end(), w);
        if (it != distinct.end())
          hits.emplace_back(pos, static_cast<std::size_t>(it - distinct.begin()));
      }
    };
    auto check = [&](const std::vector<std::string>& label,
                     const std::vector<std::string>& keywords) {
      hits.clear();
      pos = 0;
      place(label);
      ++pos;
      place(keywords);
      return ordered_ ? in_order(hits, index) : together(hits, need);
    };
    std::vector<Analyzer::Compound> lc, kc;
    const std::vector<std::string> label = analyzer_.words(d.label, lc);
    const std::vector<std::string> keywords = analyzer_.words(d.keywords, kc);
    if (check(label, keywords)) return true;
    if (lc.empty() && kc.empty()) return false;
    // The text again with its compounds joined, for a query that writes
    // them so ("readingtime shortcode"); then with its CamelCase runs
    // joined, should they stand in larger compounds ("getremote caching"
    // in "resources.GetRemote caching").
    const auto outer_label = Analyzer::joined_words(label, lc);
    const auto outer_keywords = Analyzer::joined_words(keywords, kc);
    if (check(outer_label, outer_keywords)) return true;
    const auto runs_label = Analyzer::joined_words(label, lc, true);
    const auto runs_keywords = Analyzer::joined_words(keywords, kc, true);
    return (runs_label != outer_label || runs_keywords != outer_keywords) &&
           check(runs_label, runs_keywords);
  }

  // A phrase or ADJ: the words in query order at increasing positions, the
  // last within window_ of the first. From each start the earliest next
  // position is the best choice, so this is linear for each start.
  bool in_order(const std::vector<std::pair<std::size_t, std::size_t>>& hits,
                const std::vector<std::size_t>& index) const {
    for (std::size_t start = 0; start < hits.size(); ++start) {
      if (hits[start].second != index[0]) continue;
      std::size_t k = 1, h = start + 1;
      for (; k < index.size() && h < hits.size(); ++h) {
        if (hits[h].first - hits[start].first >= window_) break;
        if (hits[h].second == index[k]) ++k;
      }
      if (k == index.size()) return true;
    }
    return false;
  }

  // NEAR: every word (as many times as the query has it) at distinct
  // positions within window_ of each other, in any order: a sliding window
  // over the matching positions.
  bool together(const std::vector<std::pair<std::size_t, std::size_t>>& hits,
                const std::vector<std::size_t>& need) const {
    std::vector<std::size_t> have(need.size(), 0);
    std::size_t short_of = need.size(), left = 0;
    for (std::size_t right = 0; right < hits.size(); ++right) {
      if (++have[hits[right].second] == need[hits[right].second]) --short_of;
      while (hits[right].first - hits[left].first >= window_) {
        if (have[hits[left].second]-- == need[hits[left].second]) ++short_of;
        ++left;
      }
      if (short_of == 0) return true;
    }
    return false;
  }

  std::vector<std::vector<std::string>> groups_;
  std::vector<std::string> words_;
  std::size_t window_;
  bool ordered_;
};

class WildcardField;

// keywords:WORDS: every word in the keyword phrase, weighted as the word.
class KeywordsField : public Xapian::FieldProcessor {
 public:
  KeywordsField(Analyzer& a, WildcardField& wildcards, const std::vector<std::string>& langs)
      : analyzer_(a), wildcards_(wildcards), langs_(langs) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  Analyzer& analyzer_;
  WildcardField& wildcards_;
  const std::vector<std::string>& langs_;
};

// A free-text word with a trailing '*' (hidden by search::mark_wildcards):
// every vocabulary word it starts, matched through their stems and weighted
// as one term, as Xapian weights a wildcard. The index holds no unstemmed
// words for Xapian to expand against.
class WildcardField : public Xapian::FieldProcessor {
 public:
  WildcardField(Analyzer& a, Xapian::Database db, std::size_t max_expansion,
                const std::vector<std::string>& langs)
      : analyzer_(a), db_(std::move(db)), max_expansion_(max_expansion), langs_(langs) {}
  Xapian::Query operator()(const std::string& value) override {
    const std::vector<std::string>& s = stems(search::decode_field_value(value));
    return s.empty() ? Xapian::Query::MatchNothing
                     : Xapian::Query(Xapian::Query::OP_SYNONYM, s.begin(), s.end());
  }

  // The stem terms a prefix expands to (see prefix_stems). The query is
  // parsed twice (with and without stems), and its whole-label terms and
  // keywords: prefixes use them too: expand once.
  const std::vector<std::string>& stems(const std::string& prefix) {
    auto it = expanded_.find(prefix);
    if (it == expanded_.end()) {
      std::vector<std::string> s;
      if (!prefix.empty()) s = prefix_stems(db_, analyzer_, prefix, max_expansion_, langs_);
      it = expanded_.emplace(prefix, std::move(s)).first;
    }
    return it->second;
  }

 private:
  Analyzer& analyzer_;
  Xapian::Database db_;
  std::size_t max_expansion_;
  const std::vector<std::string>& langs_;
  std::unordered_map<std::string, std::vector<std::string>> expanded_;
};

Xapian::Query KeywordsField::operator()(const std::string& value) {
  const auto [words, wildcard] = field_words(analyzer_, value);
  if (words.empty()) return Xapian::Query::MatchNothing;
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool prefix = wildcard && i + 1 == words.size();
    std::vector<std::string> stems =
        prefix ? wildcards_.stems(words[i]) : stem_terms({words[i]}, analyzer_, langs_);
    if (stems.empty()) return Xapian::Query::MatchNothing;
    Xapian::Query weight(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end());
    Xapian::Query filter(
        (new KeywordSource(analyzer_, std::move(stems), words[i], prefix))->release());
    parts.emplace_back(Xapian::Query::OP_FILTER, weight, filter);
  }
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

class TaxonomyField : public Xapian::FieldProcessor {
 public:
  TaxonomyField(Analyzer& a, std::string prefix) : analyzer_(a), prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& value) override {
    std::string folded = index::fold_taxonomy(analyzer_, value);
    if (folded.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(prefix_ + folded);
  }

 private:
  Analyzer& analyzer_;
  std::string prefix_;
};

class LangField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    return Xapian::Query(std::string(schema::kLang) + util::ascii_lower(util::trim(value)));
  }
};

// Throwing through Xapian's QueryParser leaks its parse state, so field
// processors note a bad value here and return MatchNothing; search() throws.
struct FieldErrors {
  std::string first;
  Xapian::Query fail(std::string message) {
    if (first.empty()) first = std::move(message);
    return Xapian::Query::MatchNothing;
  }
};

class LevelField : public Xapian::FieldProcessor {
 public:
  explicit LevelField(FieldErrors& e) : errors_(e) {}
  Xapian::Query operator()(const std::string& value) override {
    bool bad = false;
    int lo = 1, hi = 6;
    auto dots = value.find("..");
    auto num = [&](std::string_view s, int dflt) {
      s = util::trim(s);
      if (s.empty()) return dflt;
      if (s.size() != 1 || s[0] < '1' || s[0] > '6') {
        bad = true;
        return 0;
      }
      return s[0] - '0';
    };
    if (dots == std::string::npos) {
      lo = hi = num(value, 0);
    } else {
      lo = num(std::string_view(value).substr(0, dots), 1);
      hi = num(std::string_view(value).substr(dots + 2), 6);
    }
    if (bad) return errors_.fail("level must be 1 to 6 or a range like 2..3, not '" + value + "'");
    std::vector<Xapian::Query> parts;
    for (int l = lo; l <= hi; ++l)
      parts.emplace_back(std::string(schema::kLevel) + std::to_string(l));
    if (parts.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

 private:
  FieldErrors& errors_;
};

// The query is parsed twice (with and without stems): a field whose value
// costs a walk over pages or a search of its own keeps what it built.
class CachingField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) final {
    auto it = built_.find(value);
    if (it == built_.end()) it = built_.emplace(value, build(value)).first;
    return it->second;
  }

 protected:
  virtual Xapian::Query build(const std::string& value) = 0;

 private:
  std::unordered_map<std::string, Xapian::Query> built_;
};

class PageField : public CachingField {
 public:
  explicit PageField(SearcherState& s) : s_(s) {}

 private:
  Xapian::Query build(const std::string& value) override {
    s_.load_all_pages();
    const std::string v(util::trim(value));
    const std::string folded = s_.analyzer.fold(v);
    std::vector<std::string> ends;  // the path, or its end after a '/'
    if (!v.empty()) ends = {v, v + ".md", v + ".markdown"};
    auto path_matches = [&ends](const std::string& p) {
      for (const std::string& e : ends) {
        if (p == e || (p.size() > e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0 &&
                       (e.front() == '/' || p[p.size() - e.size() - 1] == '/')))
          return true;
      }
      return false;
    };
    std::vector<Xapian::Query> parts;
    for (const auto& [id, d] : s_.page_list) {
      if (d.headings == 0) continue;
      if (path_matches(d.path) || (!folded.empty() && s_.folded_title(id, d.title) == folded))
        parts.emplace_back(std::string(schema::kPage) + id);
    }
    if (parts.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

  SearcherState& s_;
};

// under:3.2, under:"Security Interests", under:"Strategic Objectives/Security Interests"
class UnderField : public CachingField {
 public:
  UnderField(SearcherState& s, FieldErrors& e) : s_(s), errors_(e) {}

 private:
  Xapian::Query build(const std::string& value) override {
    std::vector<std::string> parts;
    std::string cur;
    auto flush = [&] {
      std::string t(util::trim(cur));
      if (!t.empty()) parts.push_back(t);
      cur.clear();
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '/' || value[i] == '>') {
        flush();
      } else if (value.compare(i, 3, "\u203a") == 0) {
        flush();
        i += 2;
      } else {
        cur += value[i];
      }
    }
    flush();
    if (parts.empty())
      return errors_.fail("under: needs a section number, a label or a breadcrumb");
    // Each crumb: optional number, then label.
    struct Want {
      std::string number, label;
    };
    std::vector<Want> chain;
    for (const auto& p : parts) {
      Want w;
      std::size_t k = 0;
      while (k < p.size() && ((p[k] >= '0' && p[k] <= '9') || p[k] == '.')) ++k;
      if (k > 0 && (k == p.size() || p[k] == ' ') && p.find_first_of("0123456789") < k) {
        w.number = schema::normalize_number(p.substr(0, k));
        w.label = s_.analyzer.fold(p.substr(k));
      } else {
        w.label = s_.analyzer.fold(p);
      }
      chain.push_back(std::move(w));
    }
    const Want& last = chain.back();
    // Candidates: headings with that number, or with every word of that
    // label in their label; each is then checked against its stored data.
    std::vector<Xapian::Query> seeds;
    if (!last.number.empty()) seeds.emplace_back(std::string(schema::kNumber) + last.number);
    for (const auto& w : s_.analyzer.words(last.label))
      seeds.emplace_back(std::string(schema::kLabel) + w);
    if (seeds.empty()) return Xapian::Query::MatchNothing;
    Xapian::Enquire candidates(s_.db);
    candidates.set_query(Xapian::Query(Xapian::Query::OP_AND, seeds.begin(), seeds.end()));
    candidates.set_weighting_scheme(Xapian::BoolWeight());
    candidates.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::MSet found = candidates.get_mset(0, 100000);
    std::vector<Xapian::Query> branches;
    for (auto it = found.begin(); it != found.end(); ++it) {
      schema::HeadingData d;
      if (!schema::decode(it.get_document().get_data(), d)) continue;
      auto matches = [&](const Want& w, const std::string& number, const std::string& label) {
        if (!w.number.empty() && schema::normalize_number(number) != w.number) return false;
        if (!w.label.empty() && s_.analyzer.fold(label) != w.label) return false;
        return true;
      };
      if (!matches(last, d.number, d.label)) continue;
      // The crumbs before the last must be the nearest ancestors, in order.
      bool ok = chain.size() == 1;
      if (!ok) {
        const schema::PageData* page = s_.page(d.page_id);
        const std::vector<int> up = page ? page->ancestors(d.ordinal) : std::vector<int>{};
        ok = chain.size() - 1 <= up.size();
        for (std::size_t k = 0; ok && k + 1 < chain.size(); ++k) {
          const auto& a =
              page->outline[static_cast<std::size_t>(up[up.size() - (chain.size() - 1) + k])];
          ok = matches(chain[k], a.number, a.label);
        }
      }
      // The subtree: this page's headings from this one to its last descendant.
      if (ok)
        branches.emplace_back(
            Xapian::Query::OP_FILTER, Xapian::Query(std::string(schema::kPage) + d.page_id),
            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrdinal,
                          schema::ordinal_key(d.ordinal), schema::ordinal_key(d.last)));
    }
    if (branches.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
  }

  SearcherState& s_;
  FieldErrors& errors_;
};

// How a query's words are matched. search() tries the steps in turn until
// one finds something: the query as typed (stop words optional, the last
// word completed when it is no word of the index), the last word completed
// anyway, the spelling correction, related word forms, then most words.
struct MatchMode {
  bool stop_optional = true;  // stop words do not have to match (they count when they do)
  std::string complete;       // this word also matches the words it starts
  bool derive = false;        // words also match words starting with their stem
  // Headings with at least this many of the words (0: all of them).
  std::size_t at_least = 0;
};

// A completion counts for less than the word typed whole, a related form
// (economy for economic) for less still.
constexpr double kCompletionWeight = 0.8;
constexpr double kDerivedWeight = 0.5;
// With most words, at most this many combinations of the words, each
// matched as an AND (cheap: the rarest word leads); beyond, any of them.
constexpr std::size_t kMaxCombinations = 64;
// Any one of the words is matched as such while the words' postings add up
// to no more than this; beyond, the rarest word leads and the others add
// weight, since an OR walks every posting of every word (at 1M headings a
// common word has tens of thousands).
constexpr Xapian::doccount kMaxAnyWordPostings = 20000;
// Related forms kept a word: the most frequent (economy, economics,
// economist for economic); and completions of a word that is itself a word
// of the index, when the query found nothing as typed.
constexpr std::size_t kMaxRelatedForms = 10;

// Turns the parser's tree of words as typed into what is matched: each word
// into its stems in every query language, quoted phrases, NEAR and synonyms
// that are phrases into their words checked against the stored text (the
// index keeps no positions), stop words into optional ones. Only the
// operators the parser builds are walked; their depth is already bounded.
class Planner {
 public:
  Planner(SearcherState& s, const std::vector<std::string>& langs,
          const std::set<std::string>& stops, WildcardField& wildcards, std::size_t max_expansion,
          const MatchMode& mode)
      : s_(s),
        langs_(langs),
        stops_(stops),
        wildcards_(wildcards),
        max_expansion_(max_expansion),
        mode_(mode) {}

  Xapian::Query plan(const Xapian::Query& exact) { return node(exact, true); }

  std::vector<std::string> optional;              // stop words that did not have to match
  bool derived = false;                           // some word matched related forms
  bool completed = false;                         // the word to complete had completions
  std::size_t top_words = 0;                      // how many words the top AND holds
  std::vector<std::set<std::string>> word_terms;  // with at_least: each word's terms

  // The Z terms of a word in each query language.
  std::vector<std::string> group(const std::string& word) {
    return stem_terms({word}, s_.analyzer, langs_);
  }

 private:
  static bool plain(const Xapian::Query& q) {
    if (q.get_type() != Xapian::Query::LEAF_TERM) return false;
    const std::string t = *q.get_terms_begin();
    return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z');
  }

  static Xapian::Query any_of(const std::vector<std::string>& terms, Xapian::Query::op op) {
    if (terms.size() == 1) return Xapian::Query(terms[0]);
    return Xapian::Query(op, terms.begin(), terms.end());
  }

  // Terms in `more` that are not in `have`.
  static std::vector<std::string> minus(const std::vector<std::string>& more,
                                        const std::vector<std::string>& have) {
    std::vector<std::string> out;
    for (const auto& t : more)
      if (std::find(have.begin(), have.end(), t) == have.end()) out.push_back(t);
    return out;
  }

  bool any_exists(const std::vector<std::string>& terms) const {
    for (const auto& t : terms)
      if (s_.db.term_exists(t)) return true;
    return false;
  }

  Xapian::Query word(const std::string& w) {
    const std::vector<std::string> g = group(w);
    if (g.empty()) return Xapian::Query::MatchNothing;
    Xapian::Query base = any_of(g, Xapian::Query::OP_SYNONYM);
    std::vector<Xapian::Query> parts{base};
    if (!mode_.complete.empty() && w == mode_.complete) {
      // The most frequent completion is the one reported ("shortc ->
      // shortcode") and counts as such; the others count for half.
      // A word of the index completed only because nothing matched keeps
      // to its most frequent completions, like a related form.
      const bool known = spelling_frequency(s_.db, w) > 0;
      const auto more =
          minus(known ? prefix_stems(s_.db, s_.analyzer, w,
                                     std::min(max_expansion_, kMaxRelatedForms), langs_)
                      : wildcards_.stems(w),
                g);
      const std::string best = s_.best_completion(w);
      const auto first = best.empty() ? std::vector<std::string>{} : minus(group(best), g);
      const auto rest = minus(more, first);
      if (!first.empty())
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(first, Xapian::Query::OP_SYNONYM),
                           kCompletionWeight);
      if (!rest.empty())
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(rest, Xapian::Query::OP_SYNONYM),
                           kCompletionWeight / 2);
      completed = !more.empty();
    }
    // A word the index does not hold may be two it does, written together.
    if (!any_exists(g) && spelling_frequency(s_.db, w) == 0) {
      const auto [a, b] = s_.split_in_two(w);
      if (!a.empty()) parts.push_back(phrase({a, b}, 2, true));
    }
    if (mode_.derive) {
      std::vector<std::string> more;
      for (const auto& t : g) {
        const std::string stem = t.substr(schema::kStem.size());
        // Short stems start too many unrelated words ("art": article, artist).
        if (stem.size() < 5) continue;
        for (auto& d : prefix_stems(s_.db, s_.analyzer, stem,
                                    std::min(max_expansion_, kMaxRelatedForms), langs_))
          more.push_back(std::move(d));
      }
      std::sort(more.begin(), more.end());
      more.erase(std::unique(more.begin(), more.end()), more.end());
      more = minus(more, g);
      if (!more.empty()) {
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(more, Xapian::Query::OP_SYNONYM),
                           kDerivedWeight);
        derived = true;
      }
    }
    return parts.size() == 1 ? base
                             : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

  Xapian::Query phrase(const std::vector<std::string>& words, std::size_t window, bool ordered) {
    std::vector<std::vector<std::string>> groups;
    std::vector<Xapian::Query> all;
    for (const auto& w : words) {
      groups.push_back(group(w));
      if (groups.back().empty()) return Xapian::Query::MatchNothing;
      all.push_back(any_of(groups.back(), Xapian::Query::OP_SYNONYM));
    }
    if (words.size() == 1) return all[0];
    Xapian::Query check((new WindowSource(s_.analyzer, std::move(groups), words,
                                          std::max(window, words.size()), ordered))
                            ->release());
    return Xapian::Query(Xapian::Query::OP_FILTER,
                         Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()), check);
  }

  // Headings with at least `m` of `subs`: one AND for each combination of
  // `m` of them (an AND is led by its rarest word, so each is cheap), any of
  // the combinations; for one word, the rarest word, the others adding
  // weight. An OR of frequent words would walk all their postings.
  Xapian::Query at_least(const std::vector<Xapian::Query>& subs, std::size_t m) {
    const std::size_t k = subs.size();
    if (m == 1) {
      std::size_t rarest = 0;
      Xapian::doccount least = 0, all = 0;
      for (std::size_t i = 0; i < k; ++i) {
        Xapian::doccount f = 0;
        for (auto t = subs[i].get_terms_begin(); t != subs[i].get_terms_end(); ++t)
          f += s_.db.get_termfreq(*t);
        if (i == 0 || f < least) rarest = i, least = f;
        all += f;
      }
      if (all <= kMaxAnyWordPostings)
        return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
      std::vector<Xapian::Query> others;
      for (std::size_t i = 0; i < k; ++i)
        if (i != rarest) others.push_back(subs[i]);
      return Xapian::Query(Xapian::Query::OP_AND_MAYBE, subs[rarest],
                           Xapian::Query(Xapian::Query::OP_OR, others.begin(), others.end()));
    }
    std::vector<Xapian::Query> combos;
    std::vector<bool> pick(k, false);
    std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(m), true);
    do {
      std::vector<Xapian::Query> chosen;
      for (std::size_t i = 0; i < k; ++i)
        if (pick[i]) chosen.push_back(subs[i]);
      combos.emplace_back(Xapian::Query::OP_AND, chosen.begin(), chosen.end());
      if (combos.size() > kMaxCombinations)
        return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    } while (std::prev_permutation(pick.begin(), pick.end()));
    return Xapian::Query(Xapian::Query::OP_OR, combos.begin(), combos.end());
  }

  // `target`: the node where "most words" applies (the root, or the left
  // side of a filter under it).
  Xapian::Query node(const Xapian::Query& q, bool target) {
    const auto op = q.get_type();
    const std::size_t n = q.get_num_subqueries();
    if (op == Xapian::Query::LEAF_TERM) {
      if (!plain(q)) return q;
      const std::string t = *q.get_terms_begin();
      if (t.find(' ') != std::string::npos) {  // a synonym that is a phrase
        const auto words = s_.analyzer.words(t);
        return phrase(words, words.size(), true);
      }
      return word(t);
    }
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
      std::vector<std::string> words;
      for (std::size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = q.get_subquery(i);
        if (!plain(sub)) {
          words.clear();
          break;
        }
        words.push_back(*sub.get_terms_begin());
      }
      if (words.empty()) {
        std::vector<Xapian::Query> subs;
        for (std::size_t i = 0; i < n; ++i) subs.push_back(node(q.get_subquery(i), false));
        return Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end());
      }
      // Xapian 1.4 does not expose a node's window, but prints it: "(a@1 PHRASE 2 b@2)".
      std::size_t window = n;
      const std::string text = q.get_description();
      const char* name = op == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
      if (auto at = text.find(name); at != std::string::npos)
        window = std::strtoul(text.c_str() + at + std::strlen(name), nullptr, 10);
      return phrase(words, window, op == Xapian::Query::OP_PHRASE);
    }
    switch (op) {
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_AND_NOT:
      case Xapian::Query::OP_XOR:
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_FILTER:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        break;
      default:
        return q;  // leaves, and nodes the parser does not put words under
    }
    const bool passes_target = op == Xapian::Query::OP_FILTER ||
                               op == Xapian::Query::OP_AND_MAYBE || op == Xapian::Query::OP_AND_NOT;
    std::vector<Xapian::Query> subs, stops;
    for (std::size_t i = 0; i < n; ++i) {
      const Xapian::Query sub = q.get_subquery(i);
      if (op == Xapian::Query::OP_AND && mode_.stop_optional && plain(sub) &&
          stops_.count(*sub.get_terms_begin())) {
        stops.push_back(sub);
        continue;
      }
      subs.push_back(node(sub, target && passes_target && i == 0));
    }
    if (op == Xapian::Query::OP_AND && !stops.empty()) {
      if (subs.empty()) {  // nothing but stop words: they are the query
        for (const auto& sq : stops) subs.push_back(node(sq, false));
        stops.clear();
      } else {
        for (const auto& sq : stops) optional.push_back(*sq.get_terms_begin());
      }
    }
    Xapian::Query out;
    if (op == Xapian::Query::OP_AND && target) {
      top_words = subs.size();
      if (mode_.at_least > 0) {
        word_terms.clear();
        for (const auto& sub : subs)
          word_terms.emplace_back(sub.get_terms_begin(), sub.get_terms_end());
      }
    }
    if (op == Xapian::Query::OP_AND && target && mode_.at_least > 0 &&
        mode_.at_least < subs.size()) {
      out = at_least(subs, mode_.at_least);
    } else if (op == Xapian::Query::OP_SYNONYM) {
      // Terms, and words that became synonyms of their stems, stay one
      // synonym; a phrase check (a synonym that is a phrase) cannot be
      // weighed as a term, so then the group is an OR.
      std::vector<std::string> terms;
      bool only_terms = true;
      for (const auto& sub : subs) {
        if (sub.get_type() == Xapian::Query::LEAF_TERM) {
          terms.push_back(*sub.get_terms_begin());
          continue;
        }
        bool flat = sub.get_type() == Xapian::Query::OP_SYNONYM;
        for (std::size_t k = 0; flat && k < sub.get_num_subqueries(); ++k)
          flat = sub.get_subquery(k).get_type() == Xapian::Query::LEAF_TERM;
        if (!flat) {
          only_terms = false;
          break;
        }
        for (auto t = sub.get_terms_begin(); t != sub.get_terms_end(); ++t) terms.push_back(*t);
      }
      if (only_terms) {
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        out = any_of(terms, Xapian::Query::OP_SYNONYM);
      } else {
        out = Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
      }
    } else {
      out = subs.size() == 1 && (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR)
                ? subs[0]
                : Xapian::Query(op, subs.begin(), subs.end());
    }
    if (stops.empty()) return out;
    std::vector<Xapian::Query> extra;
    for (const auto& sq : stops) extra.push_back(node(sq, false));
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, out,
                         Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
  }

  SearcherState& s_;
  const std::vector<std::string>& langs_;
  const std::set<std::string>& stops_;
  WildcardField& wildcards_;
  std::size_t max_expansion_;
  const MatchMode& mode_;
};

// The whole-label terms of a plain-words query ("cafe", "debris
// mitigation"), in each query language, also without its stop words: one
// each, or, when the last word is a prefix (a trailing '*', or a word being
// completed), one for each stem it expands to (at most 64). None when the
// query has operators, fields or phrases.
std::vector<std::string> whole_label_terms(const std::string& normalized, bool prefix_last,
                                           Analyzer& analyzer, WildcardField& wildcards,
                                           const std::vector<std::string>& langs,
                                           const std::set<std::string>& stops) {
  if (normalized.find_first_of("\":()+-") != std::string::npos) return {};
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < normalized.size()) {
    std::size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    std::string w = normalized.substr(i, j - i);
    if (search::is_operator(w)) return {};
    if (!w.empty()) words.push_back(std::move(w));
    i = j + 1;
  }
  if (words.empty()) return {};
  for (std::size_t k = 0; k + 1 < words.size(); ++k)
    if (words[k].find('*') != std::string::npos) return {};
  std::string last = words.back();
  const bool prefix = last.back() == '*' || prefix_last;
  while (!last.empty() && last.back() == '*') last.pop_back();
  if (last.empty()) return {};
  words.back() = last;
  std::vector<std::vector<std::string>> variants{words};
  std::vector<std::string> content;
  for (std::size_t k = 0; k + 1 < words.size(); ++k)
    if (!stops.count(words[k])) content.push_back(words[k]);
  content.push_back(last);
  if (content.size() < words.size()) variants.push_back(content);
  std::vector<std::string> lasts;
  if (prefix) {
    for (const auto& t : wildcards.stems(last)) lasts.push_back(t.substr(schema::kStem.size()));
    if (lasts.size() > 64) lasts.resize(64);
  }
  std::vector<std::string> out;
  for (const auto& v : variants) {
    for (const auto& lang : langs) {
      std::vector<std::string> stems;
      for (std::size_t k = 0; k + 1 < v.size(); ++k) stems.push_back(analyzer.stem(v[k], lang));
      stems.push_back(analyzer.stem(last, lang));
      out.push_back(schema::whole_label_term(stems));
      for (const auto& s : lasts) {
        stems.back() = s;
        out.push_back(schema::whole_label_term(stems));
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The normalized query with each word the index does not hold replaced by a
// spelling suggestion, or "" when nothing changes. Words the index holds are
// kept: Xapian would also propose a more frequent neighbour of a correct
// word ("situational" -> "situation"). Field values are left alone. At
// most `max_asked` unknown words are looked up (each lookup scans part of
// the spelling table); later ones stay as typed.
std::string correct_spelling(const std::string& normalized, SearcherState& state,
                             std::size_t max_asked, const std::string& keep_last,
                             const std::vector<std::string>& langs) {
  std::string fixed;
  bool changed = false;
  std::size_t asked = 0;
  bool in_field_value = false;  // inside field:"quoted value"
  std::size_t i = 0;
  while (i < normalized.size()) {
    std::size_t j = normalized.find(' ', i);
    if (j == std::string::npos) j = normalized.size();
    std::string token = normalized.substr(i, j - i);
    i = j + 1;
    const bool field = token.find(':') != std::string::npos;
    const bool skip = in_field_value || field;
    if (field || in_field_value) {
      const auto quotes = std::count(token.begin(), token.end(), '"');
      if (quotes % 2 == 1) in_field_value = !in_field_value;
    }
    const std::size_t a = token.find_first_not_of("\"()+-");
    const std::size_t b = token.find_last_not_of("\"()");
    if (!skip && a != std::string::npos && b != std::string::npos && a <= b &&
        token.back() != '*') {
      const std::string word = token.substr(a, b - a + 1);
      const bool completing = i >= normalized.size() && word == keep_last;
      // A word whose stem the index holds is no misspelling: "install"
      // finds "installation" though no page has "install" itself.
      auto stem_known = [&] {
        for (const auto& t : stem_terms({word}, state.analyzer, langs))
          if (state.db.term_exists(t)) return true;
        return false;
      };
      if (!search::is_operator(word) && !completing && asked < max_asked &&
          spelling_frequency(state.db, word) == 0 && !stem_known()) {
        ++asked;
        const std::string suggestion = state.spelling_suggestion(word);
        if (!suggestion.empty() && suggestion != word) {
          token = token.substr(0, a) + suggestion + token.substr(b + 1);
          changed = true;
        }
      }
    }
    if (!fixed.empty()) fixed += ' ';
    fixed += token;
  }
  return changed ? fixed : std::string();
}

// How deep operators nest in `q`, counted up to `limit` + 1, without
// recursion: the query is not known to be shallow yet.
std::size_t query_depth(const Xapian::Query& q, std::size_t limit) {
  std::size_t deepest = 0;
  std::vector<std::pair<Xapian::Query, std::size_t>> todo{{q, 0}};
  while (!todo.empty()) {
    auto [node, depth] = std::move(todo.back());
    todo.pop_back();
    deepest = std::max(deepest, depth);
    if (deepest > limit) break;
    for (std::size_t i = 0; i < node.get_num_subqueries(); ++i)
      todo.emplace_back(node.get_subquery(i), depth + 1);
  }
  return deepest;
}

void collect_plain_terms(const Xapian::Query& q, std::vector<std::string>& out) {
  for (auto it = q.get_terms_begin(); it != q.get_terms_end(); ++it) {
    const std::string& t = *it;
    // Not synonyms that are phrases: no label term holds a space.
    if (!t.empty() && !(t[0] >= 'A' && t[0] <= 'Z') && t.find(' ') == std::string::npos)
      out.push_back(t);
  }
}

}  // namespace

Searcher::Searcher(const fs::path& db, const OpenOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = db.string();
  impl_->options = options;
  std::error_code ec;
  if (!fs::exists(db, ec)) {
    throw Error(ErrorCode::NotFound, impl_->path + ": no index here",
                "create one with: taxon-index DIR", impl_->path);
  }
  xapian_try(impl_->path, [&] {
    impl_->open();
    impl_->check_schema();
    impl_->load_languages();
  });
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

std::size_t Searcher::size() const {
  return xapian_try(impl_->path,
                    [&] { return static_cast<std::size_t>(impl_->db.get_doccount()); });
}

void Searcher::reopen() {
  xapian_try(impl_->path, [&] {
    impl_->open();  // the shard list may have changed (--rebuild)
    impl_->check_schema();
    impl_->load_languages();
    impl_->page_cache.clear();
    impl_->page_list.clear();
    impl_->folded_titles.clear();
    impl_->all_pages_loaded = false;
  });
}

SearchResult Searcher::search(std::string_view query, const SearchOptions& options) {
  Impl& im = *impl_;
  const QueryLimits& limits = options.limits;
  // Xapian counts hits in 32 bits: without this, a large offset would wrap.
  if (options.limit > limits.max_rank || options.offset > limits.max_rank - options.limit)
    throw Error(ErrorCode::InvalidArgument, "offset + limit is " + std::to_string(options.offset) +
                                                " + " + std::to_string(options.limit) +
                                                ": the limit is " +
                                                std::to_string(limits.max_rank));
  SearchResult res;
  res.query = std::string(query);
  if (util::find_invalid_utf8(query) != std::string_view::npos)
    throw Error(ErrorCode::BadQuery, "query is not valid UTF-8");
  // Messages quote the start of the query only: it may be long.
  auto malformed = [&query](const std::string& why) {
    return Error(ErrorCode::BadQuery,
                 "malformed query '" + search::cut_for_message(query) + "': " + why);
  };
  if (query.size() > limits.max_bytes)
    throw malformed("the query is " + std::to_string(query.size()) + " bytes long: the limit is " +
                    std::to_string(limits.max_bytes));
  return xapian_try(im.path, [&]() -> SearchResult {
    const std::size_t max_expansion = std::max<std::size_t>(limits.max_expansion, 1);
    static const std::set<std::string, std::less<>> kFields = {
        "label", "keywords", "category", "tag", "page", "lang", "level", "under"};
    const std::string normalized = search::normalize_query(query, im.analyzer, kFields);
    if (util::trim(normalized).empty())
      throw Error(ErrorCode::BadQuery, "empty query: give at least one word");
    if (const std::string why = search::check_query(normalized, options.partial, limits);
        !why.empty())
      throw malformed(why);

    // The languages the words are stemmed in: the ones named (options, or
    // lang: in the query) that the index holds stemmers for, else all the
    // index's languages.
    std::vector<std::string> langs;
    {
      std::vector<std::string> named = options.languages;
      for (const auto& v : search::field_values(normalized, "lang")) named.push_back(v);
      for (const auto& code : named)
        if (const std::string l = Analyzer::stemmer_language(util::ascii_lower(code)); !l.empty())
          langs.push_back(l);
      std::sort(langs.begin(), langs.end());
      langs.erase(std::unique(langs.begin(), langs.end()), langs.end());
      if (langs.empty()) langs = im.languages;
    }
    for (const auto& l : langs) res.languages.push_back(l);
    const std::set<std::string>& stops = im.stop_words(langs);

    WordsField label_fp(im.analyzer, std::string(schema::kLabel), max_expansion);
    WildcardField wildcard_fp(im.analyzer, im.db, max_expansion, langs);
    KeywordsField keyword_fp(im.analyzer, wildcard_fp, langs);
    TaxonomyField category_fp(im.analyzer, std::string(schema::kCategory));
    TaxonomyField tag_fp(im.analyzer, std::string(schema::kTag));
    LangField lang_fp;
    FieldErrors field_errors;
    LevelField level_fp(field_errors);
    PageField page_fp(im);
    UnderField under_fp(im, field_errors);
    Xapian::QueryParser qp;
    qp.set_database(im.db);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    qp.set_default_op(options.any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    // Wildcards are expanded by the field processors; should the parser
    // expand one itself, it keeps to the same bound.
    qp.set_max_expansion(static_cast<Xapian::termcount>(max_expansion),
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    qp.add_prefix("label", &label_fp);
    qp.add_prefix("keywords", &keyword_fp);
    qp.add_prefix(std::string(search::kWildcardField), &wildcard_fp);
    qp.add_boolean_prefix("category", &category_fp);
    qp.add_boolean_prefix("tag", &tag_fp);
    qp.add_boolean_prefix("lang", &lang_fp);
    qp.add_boolean_prefix("level", &level_fp);
    qp.add_boolean_prefix("page", &page_fp);
    qp.add_boolean_prefix("under", &under_fp);
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_PURE_NOT |
                     Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;

    // Search as you type: the last word, when it is a plain word, also
    // matches the words it starts: at once when the index has no such
    // word, or when the query finds nothing as typed.
    const std::string last = search::last_plain_word(normalized);
    const bool last_known = !last.empty() && spelling_frequency(im.db, last) > 0;
    // Whether the last word starts words of the index, asked only when it
    // matters: the word is not one, or the query found nothing.
    const bool completing_allowed =
        !options.partial && options.complete && !options.all && !last.empty();
    std::optional<bool> starts;
    auto may_complete = [&] {
      if (!starts) starts = completing_allowed && im.starts_words(last);
      return *starts;
    };

    static const std::set<std::string, std::less<>> kWordFields = {
        "label", "keywords", std::string(search::kWildcardField)};
    MatchMode mode;
    mode.stop_optional = !options.all;
    std::vector<std::string> optional_words;
    bool derived = false, completed = false;
    std::size_t planned_words = 0;
    std::vector<std::set<std::string>> word_terms;
    auto build = [&](const std::string& text) {
      const std::string hidden =
          search::hide_field_values(search::mark_wildcards(text, options.partial), kWordFields);
      Xapian::Query exact = qp.parse_query(hidden, flags);
      // Flat text can nest deep: Xapian nests each NOT of a chain, and each
      // change between AND, OR, NOT and XOR, a level deeper. Matching and
      // the planner walk the tree recursively.
      const std::size_t max_nesting = 2 * limits.max_depth;
      if (const std::size_t depth = query_depth(exact, max_nesting); depth > max_nesting)
        throw malformed("operators nest more than " + std::to_string(max_nesting) +
                        " deep: the limit is " + std::to_string(max_nesting) +
                        " (each NOT of a chain, or change of operator, is a level)");
      Planner planner(im, langs, stops, wildcard_fp, max_expansion, mode);
      Xapian::Query main = planner.plan(exact);
      optional_words = planner.optional;
      derived = planner.derived;
      completed = planner.completed;
      planned_words = planner.top_words;
      word_terms = planner.word_terms;
      std::vector<std::string> terms;
      collect_plain_terms(exact, terms);
      const bool prefix_last = options.partial || (!mode.complete.empty() && completed);
      const std::vector<std::string> wholes =
          whole_label_terms(text, prefix_last, im.analyzer, wildcard_fp, langs, stops);
      if ((!terms.empty() || !wholes.empty()) && !main.empty()) {
        // Exact words are boosted in labels only: the label field's postings
        // are a fraction of all words', and walking them for every match was
        // half the time of the slowest queries (p99 at 1M headings 42 -> 23 ms).
        std::vector<Xapian::Query> parts;
        for (const auto& t : terms) parts.emplace_back(std::string(schema::kLabel) + t);
        std::vector<Xapian::Query> extra;
        if (!parts.empty())
          extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                             Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                             kExactBoost);
        if (!wholes.empty())
          extra.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                             Xapian::Query(Xapian::Query::OP_SYNONYM, wholes.begin(), wholes.end()),
                             kWholeLabelBoost);
        main = Xapian::Query(Xapian::Query::OP_AND_MAYBE, main,
                             Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()));
      }
      return main;
    };
    auto attempt = [&](const std::string& text) {
      try {
        return build(text);
      } catch (const Xapian::QueryParserError& e) {
        throw malformed(e.get_msg());
      } catch (const Xapian::UnimplementedError&) {
        // The parser builds NEAR and ADJ of plain words only.
        throw malformed("NEAR and ADJ join plain words, not wildcards or field:value pairs");
      }
    };

    if (!last_known && may_complete()) mode.complete = last;
    Xapian::Query q = attempt(normalized);
    if (!field_errors.first.empty()) throw malformed(field_errors.first);
    if (q.empty()) return res;  // e.g. a filter that matches no heading

    Xapian::Enquire enquire(im.db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, 0, 0.5));
    if (options.group == GroupBy::Page) enquire.set_collapse_key(schema::kSlotPage);
    if (options.group == GroupBy::Branch) enquire.set_collapse_key(schema::kSlotBranch);

    // Totals people can page with: the estimate is made from at least this
    // many matches (exact below it), whatever the page size.
    const Xapian::doccount check_at_least = static_cast<Xapian::doccount>(
        std::max<std::size_t>(options.offset + options.limit, kCheckAtLeast));
    PageSpy spy;
    auto run = [&](const Xapian::Query& query_to_run, bool widened = false) {
      enquire.set_query(query_to_run);
      enquire.clear_matchspies();
      spy.counts.clear();
      if (options.facets) enquire.add_matchspy(&spy);
      // A widened search's total is an estimate: counting its matches
      // would cost more than the search.
      const Xapian::doccount at_least =
          widened ? static_cast<Xapian::doccount>(options.offset + options.limit) : check_at_least;
      return enquire.get_mset(
          static_cast<Xapian::doccount>(options.offset),
          static_cast<Xapian::doccount>(options.limit),
          (options.facets || options.exact_total) ? im.db.get_doccount() : at_least);
    };
    // Nothing found (with --count the page is empty whatever was found).
    auto nothing = [](const Xapian::MSet& m) {
      return m.empty() && m.get_matches_lower_bound() == 0;
    };
    Xapian::MSet mset = run(q);
    std::vector<std::string> steps{"as typed"};
    // What the query that found the hits did.
    bool used_completion = false;
    auto adopt = [&] {
      used_completion = completed;
      res.derived = derived;
      res.optional_words = optional_words;
    };
    if (!nothing(mset)) adopt();
    auto try_step = [&](const std::string& name, const std::string& text) {
      Xapian::Query next;
      try {
        next = build(text);
      } catch (const Error&) {
        return false;
      } catch (const Xapian::QueryParserError&) {
        return false;
      } catch (const Xapian::UnimplementedError&) {
        return false;
      }
      if (next.empty()) return false;
      // A widened search that widens nothing would only repeat the first.
      if (mode.derive && mode.at_least == 0 && !completed && !derived) return false;
      steps.push_back(name);
      Xapian::MSet m = run(next, mode.derive);
      if (nothing(m)) return false;
      mset = m;
      q = next;
      adopt();
      return true;
    };
    if (options.spelling)
      res.corrected =
          correct_spelling(normalized, im, limits.max_corrections,
                           (options.partial || may_complete()) ? last : std::string(), langs);
    if (nothing(mset) && !res.corrected.empty()) {
      if (try_step("corrected", res.corrected)) res.used_correction = true;
    }
    // Widened: the last word completed even if it is a word, and related
    // forms of every word; then headings with most of the words: all but
    // one, all but two, ... (a word counts as held through a completion or
    // a related form too).
    const std::string& base_text = res.used_correction ? res.corrected : normalized;
    const std::size_t words = planned_words;
    if (nothing(mset) && !options.all) {
      if (may_complete()) mode.complete = last;
      mode.derive = true;
      if (words < 2 || options.any) {
        try_step("widened", base_text);
      } else {
        // With several words the related forms and the completion go into
        // the first "most words" search instead of one of their own: a
        // heading holding every word through them ranks first there anyway.
        for (std::size_t m = words; nothing(mset) && m-- > 1;) {
          mode.at_least = m;
          if (!try_step("most words", base_text)) continue;
          std::set<std::string> have(enquire.get_matching_terms_begin(mset.begin()),
                                     enquire.get_matching_terms_end(mset.begin()));
          std::size_t held = 0;
          for (const auto& terms : word_terms)
            held += std::any_of(terms.begin(), terms.end(),
                                [&](const std::string& t) { return have.count(t) > 0; });
          res.most_words = held < words;
        }
      }
    }
    if (options.partial && !last.empty()) used_completion = !wildcard_fp.stems(last).empty();
    if (used_completion) {
      // The completion the best hit holds, else the most frequent one.
      if (!mset.empty()) {
        const std::set<std::string> have(enquire.get_matching_terms_begin(mset.begin()),
                                         enquire.get_matching_terms_end(mset.begin()));
        res.completed_to = im.best_completion(last, [&](const std::string& word) {
          for (const auto& t : stem_terms({word}, im.analyzer, langs))
            if (have.count(t)) return true;
          return false;
        });
      }
      if (res.completed_to.empty()) res.completed_to = im.best_completion(last);
      if (!res.completed_to.empty()) res.completed_from = last;
    }
    res.steps = steps;
    res.explain = q.get_description();
    res.estimated_total = mset.get_matches_estimated();
    res.total_is_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();

    int rank = static_cast<int>(options.offset);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      schema::HeadingData d;
      if (!schema::decode(it.get_document().get_data(), d)) {
        throw Error(ErrorCode::IndexCorrupt,
                    im.path + ": document " + std::to_string(*it) + " has unreadable data",
                    "rebuild it with: taxon-index --rebuild", im.path);
      }
      Hit h;
      h.rank = ++rank;
      h.score = it.get_weight();
      h.percent = it.get_percent();
      h.label = std::move(d.label);
      h.number = std::move(d.number);
      h.keywords = std::move(d.keywords);
      h.level = d.level;
      h.line = d.line;
      h.ordinal = d.ordinal;
      h.anchor = std::move(d.anchor);
      h.shortcode = std::move(d.shortcode);
      if (const schema::PageData* p = im.page(d.page_id)) {
        for (int a : p->ancestors(d.ordinal)) {
          const schema::OutlineEntry& e = p->outline[static_cast<std::size_t>(a)];
          h.ancestors.push_back({e.number, e.label, a, e.level});
        }
        h.path = p->path;
        h.title = p->title;
        h.lang = p->lang;
        h.categories = p->categories;
        h.tags = p->tags;
        h.url = options.base_url;
        if (!h.url.empty() && h.url.back() == '/' && !p->url.empty() && p->url.front() == '/')
          h.url.pop_back();
        h.url += p->url;
        if (!h.anchor.empty()) h.url += "#" + h.anchor;
      }
      h.collapsed = options.group != GroupBy::None ? it.get_collapse_count() : 0;
      res.hits.push_back(std::move(h));
    }

    if (options.facets) {
      std::map<std::string, std::size_t> cats, tags, pages;
      for (const auto& [id, n] : spy.counts) {
        const schema::PageData* p = im.page(id);
        if (!p) continue;
        for (const auto& c : p->categories) cats[c] += n;
        for (const auto& t : p->tags) tags[t] += n;
        pages[p->path] += n;
      }
      auto sorted = [](const std::map<std::string, std::size_t>& m) {
        std::vector<FacetCount> v;
        for (const auto& [k, n] : m) v.push_back({k, n});
        std::stable_sort(v.begin(), v.end(), [](const FacetCount& a, const FacetCount& b) {
          return a.count > b.count;
        });
        return v;
      };
      res.facets["category"] = sorted(cats);
      res.facets["tag"] = sorted(tags);
      res.facets["page"] = sorted(pages);
    }
    return res;
  });
}

fs::path find_index(const fs::path& explicit_db, const fs::path& start) {
  if (!explicit_db.empty()) return explicit_db;
  if (const char* env = std::getenv("TAXON_DB"); env && *env) return fs::path(env);
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  for (;;) {
    fs::path cand = dir / ".taxon";
    if (fs::is_directory(cand, ec)) return cand;
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  throw Error(ErrorCode::NotFound,
              "no .taxon index in " + fs::absolute(start, ec).string() + " or any folder above it",
              "create one with: taxon-index DIR, or pass --db PATH or set TAXON_DB");
}

}  // namespace taxon
