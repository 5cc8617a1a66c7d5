// SPDX-License-Identifier: MIT
// A page's record as the search side keeps it between searches: the page's
// own fields as schema::PageData has them, and its outline packed into one
// buffer: half the memory of an outline of strings (7.5 KB for a page of 53
// headings, not 15), so that a cache of a given size holds twice the pages.
#ifndef TAXON_SEARCH_PAGE_RECORD_H_
#define TAXON_SEARCH_PAGE_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/schema.h"

namespace taxon::search {

/// The heap a string holds beyond itself (none when short enough to be kept
/// inside it), for estimates of memory taken.
std::size_t heap_bytes(const std::string& s);

class PageRecord {
 public:
  /// Takes `d`'s fields; its outline is packed (and `d.outline` emptied).
  explicit PageRecord(schema::PageData&& d);

  /// The page's fields; `info.outline` is always empty: the headings are
  /// read through the accessors below.
  const schema::PageData& info() const { return info_; }

  std::size_t headings() const { return entries_.size(); }
  // Heading `i` (0 <= i < headings()).
  std::string_view number(std::size_t i) const { return field(i, kNumber); }
  std::string_view label(std::size_t i) const { return field(i, kLabel); }
  int level(std::size_t i) const { return entries_[i].level; }

  /// The ancestors of heading `ordinal`, root first (empty when out of range).
  std::vector<int> ancestors(int ordinal) const;
  /// Heading `ordinal` as schema::heading_of gives it; false when out of range.
  bool heading(const std::string& page_id, int ordinal, schema::HeadingData& out) const;
  /// The outline as schema::PageData holds it.
  std::vector<schema::OutlineEntry> outline() const;

  /// About how much memory the record takes.
  std::size_t footprint() const;

 private:
  enum Field { kNumber, kLabel, kKeywords, kAnchor, kShortcode, kFields };
  struct Entry {
    std::uint32_t at = 0;              // where its text starts in text_
    std::uint32_t size[kFields] = {};  // each field's length, in that order
    std::int32_t line = 0, parent = -1, last = 0;
    std::uint8_t level = 1;
    bool default_anchor = false;
  };
  std::string_view field(std::size_t i, Field f) const;

  schema::PageData info_;
  std::string text_;
  std::vector<Entry> entries_;
};

}  // namespace taxon::search

#endif  // TAXON_SEARCH_PAGE_RECORD_H_
