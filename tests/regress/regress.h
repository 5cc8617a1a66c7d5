// SPDX-License-Identifier: MIT
// What the regression suites share: the programs under test, and running
// them with a time limit, so a program that hangs fails its test instead of
// stopping the suite.
#ifndef TAXON_TESTS_REGRESS_H_
#define TAXON_TESTS_REGRESS_H_

#include <string>

#include "../cli/process.h"

namespace taxon::test {

inline const std::string kIndexBin = TAXON_INDEX_BIN;
inline const std::string kQueryBin = TAXON_QUERY_BIN;
inline const std::string kDataDir = TAXON_DATA_DIR;

/// Exit status of a program killed by `timeout` (GNU coreutils).
inline constexpr int kTimedOut = 124;

/// Runs `command` under `timeout SECONDS`, with colour off.
inline Run run_limited(const std::string& command, int seconds = 60) {
  return run("NO_COLOR=1 timeout -k 5 " + std::to_string(seconds) + " " + command);
}

}  // namespace taxon::test

#endif  // TAXON_TESTS_REGRESS_H_
