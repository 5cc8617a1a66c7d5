// SPDX-License-Identifier: MIT
#ifndef TAXON_QUERY_OPTIONS_H_
#define TAXON_QUERY_OPTIONS_H_

#include <filesystem>
#include <optional>
#include <string>

#include "taxon/searcher.h"

namespace taxon::cli {

/// Exit codes of taxon-query, grep's scheme (also in --help and docs/).
enum Exit : int {
  kExitHits = 0,    // at least one hit
  kExitNoHits = 1,  // no hits
  kExitUsage = 2,   // bad command line, malformed query, or no index found
  kExitIndex = 3,   // the index cannot be read (damaged, wrong version, I/O)
};

enum class Format { Text, Json, Tsv, Text0 };
enum class Output { Hits, Files };
enum class Color { Auto, Always, Never };

struct QueryCliOptions {
  std::string query;
  std::filesystem::path db;
  SearchOptions search;
  Format format = Format::Text;
  Output output = Output::Hits;
  bool batch = false;        // one query a line on stdin, one JSON line out each
  bool query_given = false;  // a query on the command line (else stdin, when it is not a terminal)
  Color color = Color::Auto;
  bool tree = false;
  bool count = false;
  bool explain = false;
  bool allow_remote = false;            // read remote HOST:PORT shards of any stub
  double timeout_seconds = 5;           // a remote shard's time to connect or answer
  bool allow_partial = false;           // leave out remote shards that cannot be reached
  std::optional<std::string> complete;  // --complete WORD: print what WORD may become
};

std::optional<QueryCliOptions> parse_options(int argc, char** argv, int* exit_code);

int run(const QueryCliOptions& given);

}  // namespace taxon::cli

#endif  // TAXON_QUERY_OPTIONS_H_
