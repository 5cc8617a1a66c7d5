// SPDX-License-Identifier: MIT
// A program built against an installed libtaxon, as its users build theirs:
// indexes two pages held in memory, searches them and prints the hit.
//   taxon_consumer INDEX_DIR
#include <taxon/taxon.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: taxon_consumer INDEX_DIR\n";
    return 2;
  }
  const std::string db = argv[1];
  try {
    const char* pages[][2] = {
        {"orbits.md",
         "---\ntitle: Orbits\n---\n"
         "# Orbits\n"
         "## 3. Objectives\n"
         "### 3.2 Debris Mitigation; cleanup\n"},
        {"ships.md", "# Ships\n## Hulls; plating\n"},
    };
    taxon::IndexOptions opts;
    opts.db = db;
    opts.jobs = 1;
    {
      taxon::Indexer indexer(opts);
      for (const auto& [path, text] : pages) {
        taxon::ParseResult parsed = taxon::parse_page(text, path);
        for (const taxon::Diagnostic& d : parsed.diagnostics) std::cerr << d.to_string() << "\n";
        if (!parsed.ok) return 1;
        indexer.add_page(parsed.page, path);
      }
      indexer.commit();
    }

    taxon::Searcher searcher(db);
    taxon::SearchResult result = searcher.search("debris cleanup");
    if (result.hits.size() != 1) {
      std::cerr << result.hits.size() << " hits, expected 1\n";
      return 1;
    }
    const taxon::Hit& hit = result.hits.front();
    // starts_with is C++20: the standard comes with the library's target.
    if (!hit.heading().starts_with("3.2 ")) {
      std::cerr << "unexpected hit " << hit.heading() << "\n";
      return 1;
    }
    std::cout << "taxon " << taxon::version() << " | " << searcher.size() << " headings | "
              << hit.heading() << " | " << hit.breadcrumb(" > ") << " | "
              << hit.ancestors.back().text() << " | " << hit.path << ":" << hit.line << "\n";

    // An error thrown inside the library is caught here by its type.
    try {
      taxon::Searcher missing(db + "/missing");
    } catch (const taxon::Error& e) {
      std::cout << "error " << taxon::to_string(e.code()) << "\n";
    }
    return 0;
  } catch (const taxon::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
