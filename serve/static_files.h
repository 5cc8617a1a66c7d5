// SPDX-License-Identifier: MIT
// The search page's files, built into the program from serve/static/ (see
// cmake/TaxonEmbed.cmake): served from memory, never from a path a request names.
#ifndef TAXON_SERVE_STATIC_FILES_H_
#define TAXON_SERVE_STATIC_FILES_H_

#include <cstddef>
#include <string_view>

namespace taxon::serve {

struct StaticFile {
  std::string_view name;  // file name in serve/static/, e.g. "taxon-search.js"
  std::string_view body;
};

extern const StaticFile kStaticFiles[];
extern const std::size_t kStaticFileCount;

/// The file of that name, or nullptr.
inline const StaticFile* find_static(std::string_view name) {
  for (std::size_t i = 0; i < kStaticFileCount; ++i)
    if (kStaticFiles[i].name == name) return &kStaticFiles[i];
  return nullptr;
}

}  // namespace taxon::serve

#endif  // TAXON_SERVE_STATIC_FILES_H_
