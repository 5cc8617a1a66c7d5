// SPDX-License-Identifier: MIT
// The field processors of the query parser, one a field (label:, keywords:,
// category:, tag:, lang:, level:, page:, under:, and the wildcard field free
// text is rewritten to): each normalizes its value and builds a filter.
#ifndef TAXON_SEARCH_FIELDS_H_
#define TAXON_SEARCH_FIELDS_H_

#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "format/documents.h"
#include "format/schema.h"
#include "search/checks.h"
#include "search/query_text.h"
#include "search/state.h"
#include "search/vocabulary.h"
#include "taxon/analyzer.h"
#include "util/text.h"

namespace taxon::search {

// ---- field processors: each normalizes its value and builds a filter ----

// The words of a label: or keywords: value (hidden by search::hide_field_values),
// and whether the last one ends in '*' (a prefix).
struct FieldWords {
  std::vector<std::string> words;
  bool last_is_prefix = false;
};

inline FieldWords field_words(Analyzer& analyzer, const std::string& value) {
  std::string v = search::decode_field_value(value);
  FieldWords out;
  out.last_is_prefix = !v.empty() && v.back() == '*';
  while (!v.empty() && v.back() == '*') v.pop_back();
  out.words = analyzer.words(v);
  return out;
}

// label:WORDS, label:"WORDS", label:WORD*. A wildcard is expanded here,
// over all shards at once, to its most frequent terms: Xapian would expand
// it on each remote shard over that shard's terms alone, and weigh it
// differently from the same shards opened locally.
class WordsField : public Xapian::FieldProcessor {
 public:
  WordsField(Analyzer& a, std::string prefix, std::size_t max_expansion, const Xapian::Database& db)
      : analyzer_(a), prefix_(std::move(prefix)), max_expansion_(max_expansion), db_(db) {}
  Xapian::Query operator()(const std::string& value) override {
    const auto [words, wildcard] = field_words(analyzer_, value);
    if (words.empty()) return Xapian::Query::MatchNothing;
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (wildcard && i + 1 == words.size()) {
        const std::vector<std::string> terms = expand(prefix_ + words[i]);
        if (terms.empty()) return Xapian::Query::MatchNothing;
        parts.emplace_back(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
      } else {
        parts.emplace_back(prefix_ + words[i]);
      }
    }
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
  }

 private:
  // The terms starting with `start`, the max_expansion_ most frequent
  // (ties: the first in term order), in term order.
  std::vector<std::string> expand(const std::string& start) const {
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    for (auto it = db_.allterms_begin(start); it != db_.allterms_end(start); ++it)
      found.emplace_back(it.get_termfreq(), *it);
    if (found.size() > max_expansion_) {
      std::stable_sort(found.begin(), found.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      found.resize(max_expansion_);
    }
    std::vector<std::string> terms;
    for (auto& f : found) terms.push_back(std::move(f.second));
    std::sort(terms.begin(), terms.end());
    return terms;
  }

  Analyzer& analyzer_;
  std::string prefix_;
  std::size_t max_expansion_;
  const Xapian::Database& db_;
};

class WildcardField;

// keywords:WORDS: every word in the keyword phrase, weighted as the word.
class KeywordsField : public Xapian::FieldProcessor {
 public:
  KeywordsField(Analyzer& a, WildcardField& wildcards, const std::vector<std::string>& langs,
                SearcherState& state)
      : analyzer_(a), wildcards_(wildcards), langs_(langs), state_(state) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  Analyzer& analyzer_;
  WildcardField& wildcards_;
  const std::vector<std::string>& langs_;
  SearcherState& state_;
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

inline Xapian::Query KeywordsField::operator()(const std::string& value) {
  const auto [words, wildcard] = field_words(analyzer_, value);
  if (words.empty()) return Xapian::Query::MatchNothing;
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool prefix = wildcard && i + 1 == words.size();
    std::vector<std::string> stems =
        prefix ? wildcards_.stems(words[i]) : stem_terms({words[i]}, analyzer_, langs_);
    if (stems.empty()) return Xapian::Query::MatchNothing;
    Xapian::Query weight(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end());
    Xapian::Query filter =
        check_query(new KeywordSource(analyzer_, std::move(stems), words[i], prefix), state_);
    parts.emplace_back(Xapian::Query::OP_FILTER, weight, filter);
  }
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

class TaxonomyField : public Xapian::FieldProcessor {
 public:
  TaxonomyField(Analyzer& a, std::string prefix) : analyzer_(a), prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& value) override {
    std::string folded = format::fold_taxonomy(analyzer_, value);
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
        parts.emplace_back(schema::page_term(id, d.version));
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
    candidates.set_query(s_.live(Xapian::Query(Xapian::Query::OP_AND, seeds.begin(), seeds.end())));
    candidates.set_weighting_scheme(Xapian::BoolWeight());
    candidates.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::MSet found = candidates.get_mset(0, 100000);
    std::vector<Xapian::Query> branches;
    for (auto it = found.begin(); it != found.end(); ++it) {
      schema::HeadingData d;
      if (!s_.heading(*it, d)) continue;
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
      const schema::PageData* page = ok ? s_.page(d.page_id) : nullptr;
      if (page)
        branches.emplace_back(
            Xapian::Query::OP_FILTER, Xapian::Query(schema::page_term(d.page_id, page->version)),
            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrdinal,
                          schema::ordinal_key(d.ordinal), schema::ordinal_key(d.last)));
    }
    if (branches.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
  }

  SearcherState& s_;
  FieldErrors& errors_;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_FIELDS_H_
