// SPDX-License-Identifier: MIT
// Hits: a heading's page record made a Hit, a search's matches made its
// page of hits, and the Hit and Crumb members that print them.
#include "search/hits.h"

#include <utility>

#include "taxon/error.h"

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

namespace search {

std::string page_link(const std::string& base_url, const std::string& permalink) {
  // No permalink: Hugo renders no page for it (a headless bundle, a page
  // resource, build.render never). A full URL (front matter `url`) stays.
  if (permalink.empty() || permalink.find("://") != std::string::npos) return permalink;
  std::string url = base_url;
  if (!url.empty() && url.back() == '/' && !permalink.empty() && permalink.front() == '/')
    url.pop_back();
  return url + permalink;
}

schema::HeadingData read_heading(SearcherState& state, Xapian::docid did, const PageRecord*& page) {
  schema::HeadingData d;
  if (!state.heading(did, d, &page))
    throw Error(ErrorCode::IndexCorrupt,
                state.path + ": document " + std::to_string(did) +
                    " names no heading of a readable page record",
                "rebuild it with: taxon-index --rebuild", state.path);
  return d;
}

Hit heading_hit(schema::HeadingData&& d, const PageRecord* page, const std::string& base_url) {
  Hit h;
  h.label = std::move(d.label);
  h.number = std::move(d.number);
  h.keywords = std::move(d.keywords);
  h.level = d.level;
  h.line = d.line;
  h.ordinal = d.ordinal;
  h.anchor = std::move(d.anchor);
  h.shortcode = std::move(d.shortcode);
  if (!page) return h;
  for (int a : page->ancestors(d.ordinal)) {
    const auto i = static_cast<std::size_t>(a);
    h.ancestors.push_back(
        {std::string(page->number(i)), std::string(page->label(i)), a, page->level(i)});
  }
  const schema::PageData& info = page->info();
  h.path = info.path;
  h.title = info.title;
  h.lang = info.lang;
  h.categories = info.categories;
  h.tags = info.tags;
  h.url = page_link(base_url, info.url);
  if (!h.url.empty() && !h.anchor.empty()) h.url += "#" + h.anchor;
  return h;
}

void add_hits(SearcherState& state, const Xapian::MSet& mset, const SearchOptions& options,
              const GroupSizes* group_sizes, std::vector<Hit>& out) {
  int rank = static_cast<int>(options.offset);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const PageRecord* page = nullptr;
    schema::HeadingData d = read_heading(state, *it, page);
    Hit h = heading_hit(std::move(d), page, options.base_url);
    h.rank = ++rank;
    h.score = it.get_weight();
    h.percent = it.get_percent();
    if (options.group != GroupBy::None) {
      h.collapsed = it.get_collapse_count();
      if (group_sizes) {
        const auto n = group_sizes->find(it.get_collapse_key());
        h.collapsed = n == group_sizes->end() || n->second == 0 ? 0 : n->second - 1;
      }
    }
    out.push_back(std::move(h));
  }
}

}  // namespace search
}  // namespace taxon
