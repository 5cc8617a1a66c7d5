// SPDX-License-Identifier: MIT
#include "search/page_record.h"

#include <algorithm>
#include <utility>

namespace taxon::search {

PageRecord::PageRecord(schema::PageData&& d) {
  std::vector<schema::OutlineEntry> outline = std::move(d.outline);
  info_ = std::move(d);
  info_.outline.clear();
  std::size_t bytes = 0;
  for (const auto& e : outline)
    bytes +=
        e.number.size() + e.label.size() + e.keywords.size() + e.anchor.size() + e.shortcode.size();
  text_.reserve(bytes);
  entries_.reserve(outline.size());
  for (const auto& e : outline) {
    Entry& n = entries_.emplace_back();
    n.at = static_cast<std::uint32_t>(text_.size());
    const std::string* fields[kFields] = {&e.number, &e.label, &e.keywords, &e.anchor,
                                          &e.shortcode};
    for (int f = 0; f < kFields; ++f) {
      n.size[f] = static_cast<std::uint32_t>(fields[f]->size());
      text_ += *fields[f];
    }
    n.line = e.line;
    n.parent = e.parent;
    n.last = e.last;
    n.level = static_cast<std::uint8_t>(std::clamp(e.level, 1, 6));
    n.default_anchor = e.default_anchor;
  }
}

std::string_view PageRecord::field(std::size_t i, Field f) const {
  const Entry& e = entries_[i];
  std::size_t at = e.at;
  for (int k = 0; k < f; ++k) at += e.size[k];
  return std::string_view(text_).substr(at, e.size[f]);
}

std::vector<int> PageRecord::ancestors(int ordinal) const {
  return schema::ancestor_chain(entries_.size(), ordinal,
                                [this](std::size_t i) { return entries_[i].parent; });
}

bool PageRecord::heading(const std::string& page_id, int ordinal, schema::HeadingData& out) const {
  if (ordinal < 0 || static_cast<std::size_t>(ordinal) >= entries_.size()) return false;
  const auto i = static_cast<std::size_t>(ordinal);
  const Entry& e = entries_[i];
  out.page_id = page_id;
  out.label = field(i, kLabel);
  out.number = field(i, kNumber);
  out.keywords = field(i, kKeywords);
  out.anchor = e.default_anchor ? schema::default_anchor(out) : std::string(field(i, kAnchor));
  out.shortcode = field(i, kShortcode);
  out.level = e.level;
  out.line = e.line;
  out.ordinal = ordinal;
  out.last = e.last;
  return true;
}

std::vector<schema::OutlineEntry> PageRecord::outline() const {
  std::vector<schema::OutlineEntry> out(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    schema::OutlineEntry& o = out[i];
    o.number = field(i, kNumber);
    o.label = field(i, kLabel);
    o.keywords = field(i, kKeywords);
    o.anchor = field(i, kAnchor);
    o.shortcode = field(i, kShortcode);
    o.level = e.level;
    o.line = e.line;
    o.parent = e.parent;
    o.last = e.last;
    o.default_anchor = e.default_anchor;
  }
  return out;
}

std::size_t heap_bytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}

std::size_t PageRecord::footprint() const {
  std::size_t n = sizeof(PageRecord) + heap_bytes(text_) + entries_.capacity() * sizeof(Entry);
  for (const std::string* s : {&info_.path, &info_.hash, &info_.title, &info_.lang, &info_.url})
    n += heap_bytes(*s);
  for (const auto* list : {&info_.categories, &info_.tags}) {
    n += list->capacity() * sizeof(std::string);
    for (const auto& s : *list) n += heap_bytes(s);
  }
  return n;
}

}  // namespace taxon::search
