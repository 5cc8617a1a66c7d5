// SPDX-License-Identifier: MIT
// The JSON form of a search result; docs/json-output.md is its schema.
#include <nlohmann/json.hpp>

#include "taxon/searcher.h"

namespace taxon {

std::string to_json(const SearchResult& r, int indent) {
  using nlohmann::json;
  json hits = json::array();
  for (const auto& h : r.hits) {
    json crumbs = json::array();
    for (const auto& a : h.ancestors)
      crumbs.push_back(
          {{"number", a.number}, {"label", a.label}, {"level", a.level}, {"ordinal", a.ordinal}});
    hits.push_back({
        {"rank", h.rank},
        {"score", h.score},
        {"percent", h.percent},
        {"label", h.label},
        {"number", h.number},
        {"keywords", h.keywords},
        {"level", h.level},
        {"breadcrumb", h.breadcrumb()},
        {"ancestors", crumbs},
        {"path", h.path},
        {"line", h.line},
        {"ordinal", h.ordinal},
        {"anchor", h.anchor},
        {"url", h.url},
        {"title", h.title},
        {"lang", h.lang},
        {"categories", h.categories},
        {"tags", h.tags},
        {"shortcode", h.shortcode},
        {"collapsed", h.collapsed},
    });
  }
  json doc = {
      {"query", r.query},
      {"corrected", r.corrected.empty() ? json(nullptr) : json(r.corrected)},
      {"used_correction", r.used_correction},
      {"estimated_total", r.estimated_total},
      {"total_is_exact", r.total_is_exact},
      {"hits", hits},
      {"completed", r.completed_from.empty()
                        ? json(nullptr)
                        : json({{"from", r.completed_from}, {"to", r.completed_to}})},
      {"optional_words", r.optional_words},
      {"matched", r.most_words ? "most" : "all"},
      {"related_forms", r.derived},
      {"languages", r.languages},
      {"steps", r.steps},
      {"missing_shards", r.missing_shards},
  };
  if (!r.facets.empty()) {
    json facets = json::object();
    for (const auto& [name, counts] : r.facets) {
      json arr = json::array();
      for (const auto& c : counts) arr.push_back({{"value", c.value}, {"count", c.count}});
      facets[name] = arr;
    }
    doc["facets"] = facets;
  }
  return doc.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace taxon
