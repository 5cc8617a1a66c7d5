// SPDX-License-Identifier: MIT
// Every term prefix, value slot and metadata key of the index, in one place.
// docs/index-format.md describes the same for readers of the files.
#ifndef TAXON_FORMAT_SCHEMA_H_
#define TAXON_FORMAT_SCHEMA_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taxon::schema {

// Free text: unprefixed words (label, then keyword phrase; no positions);
// stems carry "Z" (of those words, and of the ancestors' labels).
inline constexpr std::string_view kStem = "Z";
inline constexpr std::string_view kLabel = "S";  // label words (label: field)
inline constexpr std::string_view kWholeLabel =
    "XA";  // + the label's stems joined by ' ' (capped), wdf 1
// Boolean filter terms.
inline constexpr std::string_view kPage = "XP";      // + page id + '.' + version (page_term)
inline constexpr std::string_view kCategory = "XC";  // + folded category
inline constexpr std::string_view kTag = "XT";       // + folded tag
inline constexpr std::string_view kLang = "XL";      // + language code
inline constexpr std::string_view kLevel = "XD";     // + level digit
inline constexpr std::string_view kNumber = "XN";    // + section number without trailing '.'

// Value slots.
inline constexpr unsigned kSlotPage = 0;     // page id: collapse key, facets
inline constexpr unsigned kSlotBranch = 1;   // top-level branch key: collapse key
inline constexpr unsigned kSlotOrdinal = 2;  // ordinal in the page, sortable: subtree filter

// Metadata keys.
inline constexpr std::string_view kMetaSchema = "taxon:schema";
inline constexpr std::string_view kMetaPagePrefix = "taxon:page:";  // + page id
// The languages of the shard's pages with headings, sorted, comma-separated
// ("de,en,fr"): a query is stemmed in each of them.
inline constexpr std::string_view kMetaLanguages = "taxon:languages";
// The documents of replaced and removed pages that are still in the shard
// (encode_runs), and the next page version to give out (decimal).
inline constexpr std::string_view kMetaHidden = "taxon:hidden";
inline constexpr std::string_view kMetaNextVersion = "taxon:next-version";
// Which page each document id belongs to (encode_docids, sorted by id): a hit
// is found without reading its document, which a remote shard without term
// lists cannot send.
inline constexpr std::string_view kMetaDocIds = "taxon:docids";
// The settings the last indexing run wrote with, as JSON (index/settings.h):
// "lang", the language of pages that name none, is also the language a page
// whose language has no stemmer was stemmed in.
inline constexpr std::string_view kMetaSettings = "taxon:settings";

// Within-document weights: how many times a word counts.
inline constexpr unsigned kLabelWdf = 4;
inline constexpr unsigned kKeywordWdf = 1;
inline constexpr unsigned kContextWdf = 1;
inline constexpr std::size_t kMaxTermBytes = 200;

// Length normalisation at index time. A heading of raw length L (the sum of
// the wdfs above) stores each term's wdf as
//   round(kWdfScale * wdf / ((1 - kLengthB) + kLengthB * L / kReferenceLength)),
// at least 1, so BM25 without length normalisation (b = 0) at query time,
// with k1 scaled by kWdfScale, ranks as BM25 with b = kLengthB would. The
// reference length stands in for the collection's average length, which is
// not known while a document is written (31 in data/, 35 in the real
// taxonomies the project was tried on).
inline constexpr unsigned kWdfScale = 8;
inline constexpr double kLengthB = 0.5;
inline constexpr double kReferenceLength = 32;

/// The length-prefixed binary form of document data and metadata: an
/// unsigned integer in 7-bit groups, and a string as its length then its
/// bytes. The readers take what they read off the front of `s`, and return
/// false when it does not hold a whole one.
void put_varint(std::string& out, std::uint64_t v);
void put_str(std::string& out, std::string_view s);
bool get_varint(std::string_view& s, std::uint64_t& v);
bool get_str(std::string_view& s, std::string& out);

/// The stored wdf of a term with raw wdf `wdf` in a heading of raw length `length`.
unsigned normalized_wdf(unsigned wdf, unsigned length);

/// Page id: 16 hex digits of a hash of the file's absolute path.
std::string page_id(std::string_view absolute_path);

/// The part of a document's data that varies per heading. Its ancestors
/// are in the page's outline (PageData::outline), stored once per page.
struct HeadingData {
  std::string label, number, keywords, anchor, shortcode;
  int level = 1, line = 0, ordinal = 0;
  int last = 0;  // ordinal of the last heading of this one's subtree (itself when a leaf)
  std::string page_id;
};

/// One heading of a page, as its page record keeps it: what a hit and a
/// breadcrumb show, and its place in the tree.
struct OutlineEntry {
  std::string number, label, keywords, anchor, shortcode;
  int level = 1, line = 0;
  int parent = -1;  // ordinal, -1 for a root
  int last = 0;     // ordinal of the last heading of its subtree (made when read)
  // Read with Hugo's default anchor, which is left empty here and made only
  // when the heading is asked for (heading_of).
  bool default_anchor = false;
};

/// The ancestors of heading `ordinal` of `count` headings, root first, where
/// `parent(i)` is heading i's parent ordinal (-1 for a root); empty when
/// `ordinal` is out of range. The walk stops at `count` steps, whatever the
/// parents say.
template <typename Parent>
std::vector<int> ancestor_chain(std::size_t count, int ordinal, Parent&& parent) {
  std::vector<int> chain;
  if (ordinal < 0 || static_cast<std::size_t>(ordinal) >= count) return chain;
  for (int p = parent(static_cast<std::size_t>(ordinal));
       p >= 0 && static_cast<std::size_t>(p) < count && chain.size() < count;
       p = parent(static_cast<std::size_t>(p)))
    chain.push_back(p);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

/// What a page's metadata entry holds: file state for incremental runs and
/// everything a hit of the page prints. Its heading documents hold no data
/// of their own: a hit is its page's record and its ordinal.
struct PageData {
  std::string path;           // absolute
  std::uint64_t version = 0;  // of its heading documents: they hold page_term(id, version)
  std::int64_t mtime_ns = 0;
  std::uint64_t size = 0;
  std::string hash;              // content hash, hex
  std::string title, lang, url;  // url: permalink path, without anchor
  std::vector<std::string> categories, tags;
  std::uint32_t headings = 0;
  std::vector<OutlineEntry> outline;  // every heading, by ordinal

  /// The ancestors of heading `ordinal`, root first (empty when out of range).
  std::vector<int> ancestors(int ordinal) const;
};

/// Heading `ordinal` of page `page_id` as its record `page` holds it; false
/// when the record has no such heading.
bool heading_of(const PageData& page, const std::string& page_id, int ordinal, HeadingData& out);

/// Page metadata; `with_outline = false` stops before the outline (the
/// indexer keeps every page's record in memory and needs no outline). An
/// outline entry's anchor is left out when it is the one Hugo would make of
/// the heading's text (default_anchor), and made again when read.
std::string encode(const PageData& d);
bool decode(std::string_view s, PageData& d, bool with_outline = true);

/// The boolean term every heading document of a page version holds.
std::string page_term(std::string_view page_id, std::uint64_t version);

/// A run of consecutive document ids in one shard (a page's documents are
/// written together) and what it belongs to: in kMetaHidden, the page term
/// of a replaced or removed page version whose documents stay until the
/// shard is merged; in kMetaDocIds, the page id whose headings they are, in
/// page order.
struct DocRun {
  std::string name;
  std::uint32_t first = 0, last = 0;
};
std::string encode_runs(const std::vector<DocRun>& runs);
bool decode_runs(std::string_view s, std::vector<DocRun>& runs);

/// kMetaDocIds: fixed-width entries (first id, last id, page id as 64 bits),
/// sorted by id, so a reader finds a document's page by binary search in the
/// stored bytes, decoding nothing else.
std::string encode_docids(const std::vector<DocRun>& runs);
bool decode_docids(std::string_view s, std::vector<DocRun>& runs);
/// The page id and ordinal of document `did` in encoded list `s`; false when
/// no run holds it.
bool find_docid(std::string_view s, std::uint32_t did, std::string& page_id, int& ordinal);

/// The anchor Hugo gives a heading of this number, label and keyword phrase
/// when the heading has no {#id} and is the first with its text.
std::string default_anchor(const HeadingData& d);

/// "3.2." -> "3.2": the form used in number terms and under: filters.
std::string normalize_number(std::string_view number);

/// The slot-kSlotOrdinal value of an ordinal: byte order is numeric order.
std::string ordinal_key(int ordinal);

/// The ordinal of an ordinal_key; false when `key` is not one.
bool ordinal_from_key(std::string_view key, int& ordinal);

/// Cuts a term to kMaxTermBytes at a character boundary.
std::string cap_term(std::string term);

/// The whole-label term of these (stemmed) words: a query that is exactly a
/// heading's label, up to inflection, matches it.
std::string whole_label_term(const std::vector<std::string>& stems);

}  // namespace taxon::schema

#endif  // TAXON_FORMAT_SCHEMA_H_
