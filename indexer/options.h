// SPDX-License-Identifier: MIT
#ifndef TAXON_INDEXER_OPTIONS_H_
#define TAXON_INDEXER_OPTIONS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "taxon/indexer.h"

namespace taxon::cli {

/// Exit codes of taxon-index (also in --help, the man page and docs/).
enum Exit : int {
  kExitOk = 0,       // everything indexed
  kExitSkipped = 1,  // done, but some files were skipped
  kExitUsage = 2,    // bad command line
  kExitFatal = 3,    // the index cannot be opened or written
  kExitLocked = 4,   // another taxon-index holds the index
};

struct IndexCliOptions {
  std::vector<std::filesystem::path> roots;
  IndexOptions index;
  bool quiet = false;
  bool json = false;
};

/// Parses the command line. Returns the options, or the exit code to leave
/// with (help, version and usage errors are handled here).
std::optional<IndexCliOptions> parse_options(int argc, char** argv, int* exit_code);

int run(const IndexCliOptions& options);

}  // namespace taxon::cli

#endif  // TAXON_INDEXER_OPTIONS_H_
