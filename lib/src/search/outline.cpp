// SPDX-License-Identifier: MIT
// Searcher::outline: one page's headings in page order, for showing where a
// hit sits in its tree. The page is found among the page records (its
// permalink or path); its headings are in that record, in page order.
#include <algorithm>
#include <string>
#include <vector>

#include <xapian.h>

#include "format/schema.h"
#include "search/hits.h"
#include "search/searcher_impl.h"
#include "taxon/error.h"
#include "taxon/searcher.h"
#include "xapian_error.h"

namespace taxon {
namespace {

// "/maps/x/" and "/maps/x" name the same page.
std::string_view without_trailing_slash(std::string_view s) {
  while (s.size() > 1 && s.back() == '/') s.remove_suffix(1);
  return s;
}

bool path_matches(const std::string& path, std::string_view want) {
  if (path == want) return true;
  return want.size() < path.size() &&
         path.compare(path.size() - want.size(), want.size(), want) == 0 &&
         (want.front() == '/' || path[path.size() - want.size() - 1] == '/');
}

}  // namespace

PageOutline Searcher::outline(std::string_view page, const std::string& base_url) {
  Impl& im = *impl_;
  if (page.empty()) throw Error(ErrorCode::InvalidArgument, "no page given");
  return xapian_try(im.path, [&] {
    // The permalink with the base URL taken off, if it has it.
    std::string_view base = base_url;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    std::string_view permalink = page;
    if (!base.empty() && permalink.substr(0, base.size()) == base &&
        (permalink.size() == base.size() || permalink[base.size()] == '/'))
      permalink.remove_prefix(base.size());
    permalink = without_trailing_slash(permalink);

    im.load_all_pages();
    std::vector<std::string> by_url, by_path;
    for (const auto& [id, d] : im.page_list) {
      if (d.headings == 0) continue;
      if (!d.url.empty() && !permalink.empty() && without_trailing_slash(d.url) == permalink)
        by_url.push_back(id);
      else if (path_matches(d.path, page))
        by_path.push_back(id);
    }
    const std::vector<std::string>& ids = by_url.empty() ? by_path : by_url;
    const std::string shown(page.substr(0, 200));
    if (ids.empty())
      throw Error(ErrorCode::NotFound, "no page with headings is '" + shown + "'",
                  "give the page's link without the #anchor, or its path");
    if (ids.size() > 1)
      throw Error(ErrorCode::InvalidArgument,
                  std::to_string(ids.size()) + " pages match '" + shown + "'",
                  "give the page's whole path");
    const std::string& id = ids.front();
    const search::PageRecord* p = im.page(id);
    if (!p)
      throw Error(ErrorCode::IndexCorrupt,
                  im.path + ": the record of page " + id + " is unreadable",
                  "rebuild it with: taxon-index --rebuild", im.path);

    PageOutline out;
    out.path = p->info().path;
    out.title = p->info().title;
    out.lang = p->info().lang;
    out.url = search::page_link(base_url, p->info().url);
    // The record holds every heading: no document is read.
    for (int i = 0; i < static_cast<int>(p->headings()); ++i) {
      schema::HeadingData d;
      p->heading(id, i, d);
      out.headings.push_back(search::heading_hit(std::move(d), p, base_url));
    }
    return out;
  });
}

}  // namespace taxon
