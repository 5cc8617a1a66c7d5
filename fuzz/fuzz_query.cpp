// SPDX-License-Identifier: MIT
// libFuzzer target: any bytes as a query, over a small index built once
// from pages written here. A query may be refused (Error BadQuery, or
// InvalidArgument for options), never crash, hang, exhaust memory or fail
// in any other way: queries come from people and from web forms.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/searcher.h"

namespace {

// Pages with numbers, nested branches, categories, tags, two languages and
// words shared between labels and keyword phrases, so every field finds
// something.
const char* const kPages[] = {
    "---\ntitle: Space Consortium\ncategories: [stakeholders]\ntags: [international]\n---\n"
    "# Space Consortium; international space cooperation\n"
    "## 3. Strategic Objectives; goals\n"
    "### 3.2 Security Interests; space security safety\n"
    "#### Debris Mitigation; space debris mitigation cleanup\n"
    "#### Critical Infrastructure; satellites ground stations\n",
    "---\ntitle: Media Topics\ntags: [iptc, media]\n---\n"
    "# Media Topics; news subjects\n## Arts, Culture; entertainment\n"
    "### Cinema; film movies\n## Conflict, War; armed conflict peace\n"
    "### Armed Conflict; war fighting\n",
    "---\ntitle: Déploiement\nlang: fr\n---\n"
    "# Déploiement; hébergement café\n## Netlify; déployer un site\n",
};

std::filesystem::path index_folder() {
  return std::filesystem::temp_directory_path() /
         ("taxon-fuzz-query-" + std::to_string(::getpid()));
}

taxon::Searcher& searcher() {
  static taxon::Searcher* s = [] {
    const std::filesystem::path db = index_folder();
    std::filesystem::remove_all(db);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(index_folder(), ec);
    });
    taxon::IndexOptions o;
    o.db = db;
    o.jobs = 2;
    {
      taxon::Indexer indexer(o);
      int n = 0;
      for (const char* text : kPages) {
        const std::string path = "/fuzz/page" + std::to_string(n++) + ".md";
        taxon::ParseResult r = taxon::parse_page(text, path);
        if (!r.ok) __builtin_trap();
        indexer.add_page(r.page, path);
      }
      indexer.commit();
    }
    return new taxon::Searcher(db);
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options, the rest is the query.
  const std::uint8_t mode = data[0];
  std::string_view query(reinterpret_cast<const char*>(data + 1), size - 1);
  taxon::SearchOptions so;
  so.any = mode & 1;
  so.partial = mode & 2;
  so.facets = mode & 4;
  so.group = (mode & 8)    ? taxon::GroupBy::Page
             : (mode & 16) ? taxon::GroupBy::Branch
                           : taxon::GroupBy::None;
  so.spelling = !(mode & 32);
  so.offset = (mode & 64) ? 1 : 0;
  so.limit = (mode & 128) ? 1 : 10;
  try {
    taxon::SearchResult r = searcher().search(query, so);
    if (r.hits.size() > so.limit) __builtin_trap();
    for (std::size_t i = 0; i < r.hits.size(); ++i)
      if (r.hits[i].rank != static_cast<int>(so.offset + i + 1)) __builtin_trap();
    taxon::to_json(r);
    // The same text as a word being typed, for suggestions.
    if (searcher().complete(query, 20).size() > 20) __builtin_trap();
  } catch (const taxon::Error& e) {
    if (e.code() != taxon::ErrorCode::BadQuery) __builtin_trap();
  }
  return 0;
}
