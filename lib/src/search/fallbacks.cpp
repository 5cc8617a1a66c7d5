// SPDX-License-Identifier: MIT
// The steps a search tries in turn until one finds something: "as typed"
// (stop words optional, the last word completed when it is no word of the
// index), "corrected" (the spelling correction), "widened" (the last word
// completed anyway, related word forms) and "most words" (all but one of
// the words, all but two, ...); and what the result says of them.
#include <algorithm>
#include <set>

#include "format/documents.h"
#include "search/query_text.h"
#include "search/search_run.h"
#include "search/spelling.h"
#include "search/vocabulary.h"
#include "search/word_forms.h"

namespace taxon::search {
namespace {

// The terms among `terms` that document `did` holds. Xapian's
// Enquire::get_matching_terms reads the document's term list, which the
// shards do not keep: over local shards each term's posting list in the
// document's shard is asked; over remote ones, where a posting list comes
// whole, the heading's terms are made again from its page record.
std::set<std::string> held_terms(SearcherState& im, const std::set<std::string>& terms,
                                 Xapian::docid did) {
  std::set<std::string> have;
  if (im.remote) {
    schema::HeadingData d;
    const PageRecord* page = nullptr;
    if (!im.heading(did, d, &page)) return have;
    const std::vector<std::string> held =
        format::heading_terms(page->outline(), d.ordinal, page->info().lang, im.analyzer);
    for (const auto& t : held)
      if (terms.contains(t)) have.insert(t);
    return have;
  }
  const auto n = static_cast<Xapian::docid>(im.shards.size());
  const Xapian::Database& shard = im.shards[(did - 1) % n];
  const Xapian::docid local = (did - 1) / n + 1;
  for (const auto& t : terms) {
    auto p = shard.postlist_begin(t);
    p.skip_to(local);
    if (p != shard.postlist_end(t) && *p == local) have.insert(t);
  }
  return have;
}

// The word terms of `q` (stems, their completions and related forms).
std::set<std::string> stem_terms_of(const Xapian::Query& q) {
  std::set<std::string> out;
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
    if ((*t).starts_with(schema::kStem)) out.insert(*t);
  return out;
}

}  // namespace

SearchRun::SearchRun(SearcherState& im, const SearchOptions& options, QueryBuilder& builder,
                     const std::string& normalized, const std::vector<std::string>& langs,
                     SearchResult& res)
    : im_(im),
      options_(options),
      builder_(builder),
      normalized_(normalized),
      langs_(langs),
      res_(res),
      last_(last_plain_word(normalized)),
      enquire_(im.db) {
  last_known_ = !last_.empty() && spelling_frequency(im.vocab, last_) > 0;
  completing_allowed_ = !options.partial && options.complete && !options.all && !last_.empty();
  set_up_enquire();
}

bool SearchRun::may_complete() {
  if (!starts_) starts_ = completing_allowed_ && im_.starts_words(last_);
  return *starts_;
}

void SearchRun::adopt() {
  used_completion_ = builder_.completed;
  res_.derived = builder_.derived;
  res_.optional_words = builder_.optional_words;
}

bool SearchRun::as_typed() {
  if (!last_known_ && may_complete()) builder_.mode.complete = last_;
  q_ = builder_.build_checked(normalized_);
  builder_.check_field_values();
  if (q_.empty()) return false;
  found_ = run(q_);
  steps_.emplace_back("as typed");
  if (!found_.nothing()) adopt();
  return true;
}

bool SearchRun::try_step(const std::string& name, const std::string& text) {
  Xapian::Query next;
  // A step's text is the query rewritten (corrected, widened), not what the
  // user typed: when it cannot be built, the step is skipped, and the
  // search keeps what it has.
  try {
    next = builder_.build(text);
  } catch (const Error&) {
    return false;
  } catch (const Xapian::QueryParserError&) {
    return false;
  } catch (const Xapian::UnimplementedError&) {
    return false;
  }
  if (next.empty()) return false;
  // A widened search that widens nothing would only repeat the first.
  const MatchMode& mode = builder_.mode;
  if (mode.derive && mode.at_least == 0 && !builder_.completed && !builder_.derived) return false;
  steps_.push_back(name);
  Found f = run(next);
  if (f.nothing()) return false;
  found_ = std::move(f);
  q_ = next;
  adopt();
  return true;
}

void SearchRun::fall_back() {
  if (options_.spelling)
    res_.corrected =
        correct_spelling(normalized_, im_, options_.limits.max_corrections,
                         (options_.partial || may_complete()) ? last_ : std::string(), langs_);
  if (found_.nothing() && !res_.corrected.empty()) {
    if (try_step("corrected", res_.corrected)) res_.used_correction = true;
  }
  // Widened: the last word completed even if it is a word, and related
  // forms of every word; then headings with most of the words: all but
  // one, all but two, ... (a word counts as held through a completion or
  // a related form too).
  const std::string& base_text = res_.used_correction ? res_.corrected : normalized_;
  const std::size_t words = builder_.planned_words;
  if (!found_.nothing() || options_.all) return;
  if (may_complete()) builder_.mode.complete = last_;
  builder_.mode.derive = true;
  // Every word, through related forms or the completion, is closer than
  // some of the words: a heading with most of the words as typed would
  // outrank one holding every word through them.
  if (try_step("widened", base_text) || words < 2 || options_.any) return;
  most_words(base_text, words);
}

// Headings with all the words but one, but two, ...: related forms and the
// completion still count for a word.
void SearchRun::most_words(const std::string& text, std::size_t words) {
  for (std::size_t m = words; found_.nothing() && m-- > 1;) {
    builder_.mode.at_least = m;
    if (!try_step("most words", text)) continue;
    std::set<std::string> words_terms;
    for (const auto& terms : builder_.word_terms) words_terms.insert(terms.begin(), terms.end());
    const std::set<std::string> have = held_terms(im_, words_terms, *found_.mset.begin());
    std::size_t held = 0;
    for (const auto& terms : builder_.word_terms)
      held += std::any_of(terms.begin(), terms.end(),
                          [&](const std::string& t) { return have.contains(t); });
    res_.most_words = held < words;
  }
}

void SearchRun::report() {
  if (options_.partial && !last_.empty())
    used_completion_ = !builder_.wildcards().stems(last_).empty();
  if (used_completion_) {
    // The completion the best hit holds, else the most frequent one.
    std::set<std::string> have;
    if (!found_.mset.empty()) have = held_terms(im_, stem_terms_of(q_), *found_.mset.begin());
    res_.completed_to =
        completion_to_report(im_, last_, found_.mset.empty() ? nullptr : &have, langs_);
    if (!res_.completed_to.empty()) res_.completed_from = last_;
  }
  res_.steps = std::move(steps_);
  res_.explain = q_.get_description();
  res_.estimated_total = found_.estimated();
  res_.total_is_exact = found_.exact();
}

}  // namespace taxon::search
