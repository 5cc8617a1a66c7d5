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
  /// --stub: the shards' addresses (HOST:PORT), in shard order; no indexing.
  std::vector<std::string> stub_addresses;
  std::filesystem::path stub_output;  ///< -o: the stub file to write, else stdout
  /// The settings the index stored (stored_index_options()), if any: the
  /// options not given were taken from them, and run() says which differ.
  std::optional<IndexOptions> stored;
};

/// Parses the command line. Returns the options, or the exit code to leave
/// with (help, version and usage errors are handled here).
std::optional<IndexCliOptions> parse_options(int argc, char** argv, int* exit_code);

/// Indexes, or with --stub writes the stub; returns the exit code.
int run(const IndexCliOptions& options);

}  // namespace taxon::cli

#endif  // TAXON_INDEXER_OPTIONS_H_
