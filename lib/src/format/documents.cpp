// SPDX-License-Identifier: MIT
// What each heading stores, and why:
// - "Z" stems of the label's words with a within-document frequency of
//   kLabelWdf, and of the keyword phrase's words with kKeywordWdf: the label
//   outweighs the phrase. The words themselves are not terms and nothing
//   has positions: every query word is stemmed, and phrases, NEAR,
//   wildcards and keywords: are answered from the stored text and the
//   spelling table (lib/src/search/). Words with positions were a third
//   of the build time and of the index;
// - stems of ancestors' label words, at kContextWdf, so a query naming a
//   branch lifts the topics under it (stems only: the stemmed query is what
//   matches, and every term costs write time);
// - label words again under their field prefix (label:, and the exact-word
//   boost at query time), and boolean terms for the page and every filter;
//   keywords: and under: need no terms of their own (the stored phrase and
//   the ordinal value answer them), since every term costs write time;
// - one term for the whole label (its stems), so a query that is exactly a
//   label ranks that heading above longer labels holding the same words;
// - for a compound name (Analyzer::Compound: "ReadingTime", "cache-busting",
//   "resources.GetRemote"), the stem of its joined form ("readingtim")
//   wherever its words' stems go, the joined form under label: and in the
//   spelling table, and a second whole-label term with compounds joined, so
//   the name is found written as one word as well as by its words. These
//   stay out of the heading's length: they are the same words again;
// - within-document frequencies scaled by BM25's length normalisation
//   (schema::normalized_wdf), so queries need no document lengths;
// - the page id and top-level branch as values, for collapsing and facets,
//   and the ordinal, so a subtree is a page and an ordinal range;
// - no document data: what a hit shows is in the page's record (written
//   once a page, PageData::outline), found by the page id and ordinal
//   values. Document data was one compressed write a heading.
#include "format/documents.h"

#include <algorithm>
#include <set>

#include "util/text.h"

namespace taxon::format {

std::string fold_taxonomy(Analyzer& analyzer, std::string_view value) {
  std::string out;
  for (const auto& w : analyzer.words(value)) {
    if (!out.empty()) out += '-';
    out += w;
  }
  return schema::cap_term(out);
}

namespace {

// The words of every label, computed once: a label is context for all its descendants.
struct LabelWords {
  std::vector<std::vector<std::string>> words;
  std::vector<std::vector<Analyzer::Compound>> compounds;
};

LabelWords label_words_of(const Page& page, Analyzer& analyzer) {
  LabelWords lw;
  lw.words.resize(page.headings.size());
  lw.compounds.resize(page.headings.size());
  for (std::size_t i = 0; i < page.headings.size(); ++i)
    lw.words[i] = analyzer.words(page.headings[i].label, lw.compounds[i]);
  return lw;
}

// The last ordinal of each heading's subtree (headings come in document
// order, so a subtree is the heading and the run of headings after it).
std::vector<int> subtree_ends(const Page& page) {
  std::vector<int> last(page.headings.size());
  for (std::size_t i = page.headings.size(); i-- > 0;) {
    last[i] = std::max(last[i], static_cast<int>(i));
    const int p = page.headings[i].parent;
    if (p >= 0)
      last[static_cast<std::size_t>(p)] = std::max(last[static_cast<std::size_t>(p)], last[i]);
  }
  return last;
}

// The ancestors of heading `i`, from the root down.
std::vector<int> ancestors(const Page& page, std::size_t i) {
  return schema::ancestor_chain(page.headings.size(), static_cast<int>(i),
                                [&page](std::size_t k) { return page.headings[k].parent; });
}

// One heading's weighted terms, gathered with their raw wdfs and written
// to its document scaled by BM25's length normalisation. Reused from one
// heading to the next, so its buffers keep their capacity.
class HeadingTerms {
 public:
  HeadingTerms(Analyzer& analyzer, const std::string& stem_lang)
      : analyzer_(analyzer), stem_lang_(stem_lang) {}

  void clear() {
    weighted_.clear();
    joined_wdf_ = 0;
  }

  // Stems of `words` and of the compounds' joined forms at `wdf`; for a
  // label, the words again under label:.
  void add_words(const std::vector<std::string>& words,
                 const std::vector<Analyzer::Compound>& compounds, unsigned wdf, bool label) {
    for (const auto& w : words) add_word(w, wdf, label);
    for (const auto& c : compounds) {
      add_word(c.joined, wdf, label);
      // A compound's joined form is another way to write words the heading
      // already has: it is left out of the heading's length, so a name
      // written as a compound weighs what its words written apart weigh.
      joined_wdf_ += wdf + (label ? 1 : 0);
    }
  }

  // The whole label as one term; with compounds, again with them joined,
  // for a query that writes them so.
  void add_whole_label(const std::vector<std::string>& words,
                       const std::vector<Analyzer::Compound>& compounds) {
    if (!words.empty()) add_whole_label_term(words);
    if (!compounds.empty()) {
      add_whole_label_term(Analyzer::joined_words(words, compounds));
      joined_wdf_ += 1;
    }
  }

  // An ancestor's label words: context, stems only.
  void add_context(const std::vector<std::string>& words,
                   const std::vector<Analyzer::Compound>& compounds) {
    for (const auto& w : words) add_stem(w, schema::kContextWdf);
    for (const auto& c : compounds) {
      add_stem(c.joined, schema::kContextWdf);
      joined_wdf_ += schema::kContextWdf;
    }
  }

  // BM25's length normalisation, done here once instead of at every
  // query: Xapian reads a matching document's length by scanning its
  // length chunk, which was most of a typical query's time.
  void write_to(Xapian::Document& doc) {
    unsigned length = 0;
    for (const auto& [t, wdf] : weighted_) length += wdf;
    length -= joined_wdf_;
    std::sort(weighted_.begin(), weighted_.end());
    for (std::size_t k = 0; k < weighted_.size();) {
      unsigned wdf = 0;
      std::size_t e = k;
      for (; e < weighted_.size() && weighted_[e].first == weighted_[k].first; ++e)
        wdf += weighted_[e].second;
      doc.add_term(weighted_[k].first, schema::normalized_wdf(wdf, length));
      k = e;
    }
  }

 private:
  void add_stem(const std::string& w, unsigned wdf) {
    term_.clear();
    term_.append(schema::kStem).append(analyzer_.stem(w, stem_lang_));
    weighted_.emplace_back(term_, wdf);
  }

  void add_word(const std::string& w, unsigned wdf, bool label) {
    add_stem(w, wdf);
    if (!label) return;
    term_.clear();
    term_.append(schema::kLabel).append(w);
    weighted_.emplace_back(term_, 1);
  }

  void add_whole_label_term(const std::vector<std::string>& words) {
    std::vector<std::string> stems;
    stems.reserve(words.size());
    for (const auto& w : words) stems.push_back(analyzer_.stem(w, stem_lang_));
    weighted_.emplace_back(schema::whole_label_term(stems), 1);
  }

  Analyzer& analyzer_;
  const std::string& stem_lang_;
  std::string term_;
  std::vector<std::pair<std::string, unsigned>> weighted_;  // raw wdf
  unsigned joined_wdf_ = 0;
};

// What every document of a page shares: its folded categories and tags.
struct PageFilters {
  std::vector<std::string> cats, tags;
};

// Boolean terms of heading `h` for the page and every filter.
void add_filters(Xapian::Document& doc, const Heading& h, const std::string& page_term,
                 const PageFilters& filters, const std::string& lang) {
  doc.add_boolean_term(page_term);
  for (const auto& c : filters.cats)
    if (!c.empty()) doc.add_boolean_term(std::string(schema::kCategory) + c);
  for (const auto& t : filters.tags)
    if (!t.empty()) doc.add_boolean_term(std::string(schema::kTag) + t);
  if (!lang.empty()) doc.add_boolean_term(std::string(schema::kLang) + util::ascii_lower(lang));
  doc.add_boolean_term(std::string(schema::kLevel) + std::to_string(h.level));
  if (!h.number.empty())
    doc.add_boolean_term(std::string(schema::kNumber) + schema::normalize_number(h.number));
}

// The page id, top-level branch (the root's child on the way down, or the
// root itself) and ordinal of heading `i`, as values.
void add_values(Xapian::Document& doc, const std::string& page_id, std::size_t i,
                const std::vector<int>& chain) {
  const std::string top = chain.size() >= 2 ? page_id + ":" + std::to_string(chain[1])
                                            : page_id + ":" + std::to_string(i);
  doc.add_value(schema::kSlotPage, page_id);
  doc.add_value(schema::kSlotBranch, top);
  doc.add_value(schema::kSlotOrdinal, schema::ordinal_key(static_cast<int>(i)));
}

}  // namespace

PreparedPage build_documents(const Page& page, const std::string& page_id, const std::string& lang,
                             std::uint64_t version, Analyzer& analyzer) {
  PreparedPage out;
  out.id = page_id;
  PageFilters filters;
  for (const auto& c : page.front.categories) filters.cats.push_back(fold_taxonomy(analyzer, c));
  for (const auto& t : page.front.tags) filters.tags.push_back(fold_taxonomy(analyzer, t));
  const std::string stem_lang = Analyzer::stemmer_language(lang);
  const LabelWords labels = label_words_of(page, analyzer);
  const std::vector<int> last = subtree_ends(page);
  for (std::size_t i = 0; i < page.headings.size(); ++i) {
    const Heading& h = page.headings[i];
    out.outline.push_back(
        {h.number, h.label, h.keywords, h.anchor, h.shortcode, h.level, h.line, h.parent, last[i]});
  }

  std::set<std::string> spelled;
  HeadingTerms terms(analyzer, stem_lang);
  std::vector<Analyzer::Compound> kw_compounds;
  const std::string page_term = schema::page_term(page_id, version);
  out.docs.reserve(page.headings.size());
  for (std::size_t i = 0; i < page.headings.size(); ++i) {
    const Heading& h = page.headings[i];
    const auto& lw = labels.words[i];
    const auto& lc = labels.compounds[i];
    std::vector<std::string> kw = analyzer.words(h.keywords, kw_compounds);
    terms.clear();
    terms.add_words(lw, lc, schema::kLabelWdf, true);
    terms.add_whole_label(lw, lc);
    terms.add_words(kw, kw_compounds, schema::kKeywordWdf, false);
    for (const auto& w : lw) spelled.insert(w);
    for (const auto& c : lc) spelled.insert(c.joined);
    for (const auto& w : kw) spelled.insert(w);
    for (const auto& c : kw_compounds) spelled.insert(c.joined);
    const std::vector<int> chain = ancestors(page, i);
    for (int p : chain)
      terms.add_context(labels.words[static_cast<std::size_t>(p)],
                        labels.compounds[static_cast<std::size_t>(p)]);

    Xapian::Document doc;
    terms.write_to(doc);
    add_filters(doc, h, page_term, filters, lang);
    add_values(doc, page_id, i, chain);
    out.docs.push_back(std::move(doc));
  }
  out.spelling.assign(spelled.begin(), spelled.end());
  return out;
}

std::vector<std::string> heading_terms(const std::vector<schema::OutlineEntry>& outline,
                                       int ordinal, const std::string& lang, Analyzer& analyzer) {
  if (ordinal < 0 || static_cast<std::size_t>(ordinal) >= outline.size()) return {};
  // The heading and its ancestors are all that its terms come from.
  std::vector<int> chain;
  for (int p = ordinal; p >= 0 && chain.size() <= outline.size();
       p = outline[static_cast<std::size_t>(p)].parent)
    chain.push_back(p);
  std::reverse(chain.begin(), chain.end());
  Page page;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const schema::OutlineEntry& e = outline[static_cast<std::size_t>(chain[i])];
    Heading h;
    h.level = e.level;
    h.number = e.number;
    h.label = e.label;
    h.keywords = e.keywords;
    h.parent = static_cast<int>(i) - 1;
    page.headings.push_back(std::move(h));
  }
  const PreparedPage built = build_documents(page, "", lang, 0, analyzer);
  std::vector<std::string> out;
  const Xapian::Document& doc = built.docs.back();
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) out.push_back(*t);
  return out;
}

std::vector<std::string> spelling_words(const std::vector<schema::OutlineEntry>& outline,
                                        Analyzer& analyzer) {
  std::vector<Analyzer::Compound> compounds;
  std::set<std::string> out;
  for (const auto& e : outline)
    for (const std::string* text : {&e.label, &e.keywords}) {
      for (auto& w : analyzer.words(*text, compounds)) out.insert(std::move(w));
      for (auto& c : compounds) out.insert(std::move(c.joined));
    }
  return {out.begin(), out.end()};
}

}  // namespace taxon::format
