// SPDX-License-Identifier: MIT
// Text, tree and TSV forms of a search result (JSON is the library's).
#ifndef TAXON_QUERY_RENDER_H_
#define TAXON_QUERY_RENDER_H_

#include <filesystem>
#include <ostream>
#include <string>

#include "taxon/searcher.h"

namespace taxon::cli {

struct RenderOptions {
  bool color = false;
  std::string query;          // for highlighting
  std::filesystem::path cwd;  // paths are shown relative to it
};

void render_text(std::ostream& out, const SearchResult& r, const RenderOptions& o);
void render_tree(std::ostream& out, const SearchResult& r, const RenderOptions& o);
/// One hit a line (`end` after each: '\n', or NUL for --format text0).
void render_tsv(std::ostream& out, const SearchResult& r, const RenderOptions& o, char end = '\n');

/// `path` relative to `cwd` when it lies below it, else as it is.
std::string display_path(const std::string& path, const std::filesystem::path& cwd);

}  // namespace taxon::cli

#endif  // TAXON_QUERY_RENDER_H_
