// SPDX-License-Identifier: MIT
// Embedding libtaxon: index a folder, then search it. Uses only the public
// headers (docs/library.md walks through it).
//   search_example CONTENT_DIR INDEX_DIR "query words"
#include <taxon/taxon.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: search_example CONTENT_DIR INDEX_DIR QUERY\n";
    return 2;
  }
  try {
    taxon::IndexOptions opts;
    opts.db = argv[2];
    {
      taxon::Indexer indexer(opts);  // holds the write lock while it lives
      taxon::IndexSummary s = indexer.index({argv[1]}, {}, [](const taxon::Diagnostic& d) {
        std::cerr << d.to_string() << "\n";  // path:line: reason
      });
      std::cerr << s.added << " pages added, " << s.headings << " headings\n";
    }
    taxon::Searcher searcher(opts.db);
    taxon::SearchOptions so;
    so.limit = 5;
    for (const taxon::Hit& h : searcher.search(argv[3], so).hits)
      std::cout << h.heading() << " | " << h.breadcrumb() << " | " << h.path << ":" << h.line
                << "\n";
    return 0;
  } catch (const taxon::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    if (!e.hint().empty()) std::cerr << "hint: " << e.hint() << "\n";
    return 1;
  }
}
