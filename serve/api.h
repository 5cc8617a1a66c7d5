// SPDX-License-Identifier: MIT
// The JSON endpoints, apart from HTTP: parameters in, status and body out.
#ifndef TAXON_SERVE_API_H_
#define TAXON_SERVE_API_H_

#include <filesystem>
#include <map>
#include <string>

#include "searcher_pool.h"
#include "taxon/searcher.h"

namespace taxon::serve {

/// Query parameters as the request gave them (a name may repeat).
using Params = std::multimap<std::string, std::string>;

/// An HTTP status and its JSON body.
struct Answer {
  int status = 200;
  std::string body;
};

/// What the endpoints share.
struct ApiConfig {
  std::string base_url;               // prefix of the hit links
  bool show_paths = false;            // file paths in the JSON
  std::filesystem::path site_folder;  // without show_paths, facet paths are shown relative to it
  QueryLimits limits;                 // what one query of a stranger may cost
  std::size_t max_limit = 100;        // hits a page of /api/search
  std::size_t max_suggestions = 20;   // suggestions of /api/suggest
  std::size_t max_page_bytes = 2048;  // the page parameter of /api/tree
};

/// The limits a server applies to queries of strangers: tighter than the
/// library's defaults, far above what people type.
QueryLimits server_limits();

/// GET /api/search: the taxon-query --json document.
Answer search(SearcherPool& pool, const Params& params, const ApiConfig& config);
/// GET /api/suggest: labels that complete what was typed.
Answer suggest(SearcherPool& pool, const Params& params, const ApiConfig& config);
/// GET /api/tree: a page's outline with a hit's branch marked.
Answer tree(SearcherPool& pool, const Params& params, const ApiConfig& config);
/// GET /healthz: whether the index can be read.
Answer health(SearcherPool& pool);

/// {"error": message}
std::string error_json(const std::string& message);

}  // namespace taxon::serve

#endif  // TAXON_SERVE_API_H_
