// SPDX-License-Identifier: MIT
// The field processors of the query parser, one a field: each normalizes its
// value and builds a filter. Their bodies are in field_words.cpp (label:,
// keywords: and the wildcard field free text is rewritten to),
// field_values.cpp (category:, tag:, lang:, level:), field_page.cpp (page:)
// and field_under.cpp (under:).
#ifndef TAXON_SEARCH_FIELDS_H_
#define TAXON_SEARCH_FIELDS_H_

#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "search/state.h"
#include "taxon/analyzer.h"

namespace taxon::search {

// The words of a label: or keywords: value (hidden by search::hide_field_values),
// and whether the last one ends in '*' (a prefix).
struct FieldWords {
  std::vector<std::string> words;
  bool last_is_prefix = false;
};

FieldWords field_words(Analyzer& analyzer, const std::string& value);

// label:WORDS, label:"WORDS", label:WORD*. A wildcard is expanded here,
// over all shards at once, to its most frequent terms: Xapian would expand
// it on each remote shard over that shard's terms alone, and weigh it
// differently from the same shards opened locally.
class WordsField : public Xapian::FieldProcessor {
 public:
  WordsField(Analyzer& a, std::string prefix, std::size_t max_expansion, const Xapian::Database& db)
      : analyzer_(a), prefix_(std::move(prefix)), max_expansion_(max_expansion), db_(db) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  // The terms starting with `start`, the max_expansion_ most frequent
  // (ties: the first in term order), in term order.
  std::vector<std::string> expand(const std::string& start) const;

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
  // `budget`: QueryLimits::max_completion_pages (see prefix_stems).
  WildcardField(Analyzer& a, Xapian::Database db, std::size_t max_expansion,
                Xapian::doccount budget, const std::vector<std::string>& langs)
      : analyzer_(a),
        db_(std::move(db)),
        max_expansion_(max_expansion),
        budget_(budget),
        langs_(langs) {}
  Xapian::Query operator()(const std::string& value) override;

  Xapian::doccount budget() const { return budget_; }

  // The stem terms a prefix expands to (see prefix_stems). The query is
  // parsed twice (with and without stems), and its whole-label terms and
  // keywords: prefixes use them too: expand once.
  const std::vector<std::string>& stems(const std::string& prefix);

 private:
  Analyzer& analyzer_;
  Xapian::Database db_;
  std::size_t max_expansion_;
  Xapian::doccount budget_;
  const std::vector<std::string>& langs_;
  std::unordered_map<std::string, std::vector<std::string>> expanded_;
};

// category:VALUE, tag:VALUE: the value folded as the index folds it.
class TaxonomyField : public Xapian::FieldProcessor {
 public:
  TaxonomyField(Analyzer& a, std::string prefix) : analyzer_(a), prefix_(std::move(prefix)) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  Analyzer& analyzer_;
  std::string prefix_;
};

// lang:CODE.
class LangField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// Throwing through Xapian's QueryParser leaks its parse state, so field
// processors note a bad value here and return MatchNothing; the query builder
// throws (QueryBuilder::check_field_values).
struct FieldErrors {
  std::string first;
  Xapian::Query fail(std::string message) {
    if (first.empty()) first = std::move(message);
    return Xapian::Query::MatchNothing;
  }
};

// level:N, level:N..M, level:..M, level:N..
class LevelField : public Xapian::FieldProcessor {
 public:
  explicit LevelField(FieldErrors& e) : errors_(e) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  FieldErrors& errors_;
};

// The query is parsed twice (with and without stems): a field whose value
// costs a walk over pages or a search of its own keeps what it built.
class CachingField : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) final;

 protected:
  virtual Xapian::Query build(const std::string& value) = 0;

 private:
  std::unordered_map<std::string, Xapian::Query> built_;
};

// page:PATH, page:"Title": the pages whose path ends so or whose title it is.
class PageField : public CachingField {
 public:
  explicit PageField(SearcherState& s) : s_(s) {}

 private:
  Xapian::Query build(const std::string& value) override;

  SearcherState& s_;
};

// under:3.2, under:"Security Interests", under:"Strategic Objectives/Security Interests"
class UnderField : public CachingField {
 public:
  UnderField(SearcherState& s, FieldErrors& e) : s_(s), errors_(e) {}

 private:
  Xapian::Query build(const std::string& value) override;

  SearcherState& s_;
  FieldErrors& errors_;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_FIELDS_H_
