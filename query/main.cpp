// SPDX-License-Identifier: MIT
// taxon-query: option wiring only; searching is in the library.
#include <exception>
#include <iostream>

#include "options.h"
#include "taxon/printable.h"

int main(int argc, char** argv) {
  try {
    int code = 0;
    auto options = taxon::cli::parse_options(argc, argv, &code);
    if (!options) return code;
    return taxon::cli::run(*options);
  } catch (const std::exception& e) {
    std::cerr << "taxon-query: error: " << taxon::printable(e.what()) << "\n";
    return taxon::cli::kExitIndex;
  }
}
