// SPDX-License-Identifier: MIT
// Runs a real program through the shell and captures what it printed.
#ifndef TAXON_TESTS_PROCESS_H_
#define TAXON_TESTS_PROCESS_H_

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "../temp_dir.h"

namespace taxon::test {

struct Run {
  int exit = -1;
  std::string out;
  std::string err;
};

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

/// Runs `command` with `sh -c`; stdout and stderr are captured separately.
inline Run run(const std::string& command) {
  static TempDir scratch;
  static int n = 0;
  const auto err_file = scratch.path() / ("stderr-" + std::to_string(n++));
  Run r;
  std::string full = command + " 2>" + quote(err_file.string()) + " </dev/null";
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, got);
  int status = ::pclose(p);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream in(err_file);
  std::ostringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  return r;
}

}  // namespace taxon::test

#endif  // TAXON_TESTS_PROCESS_H_
