// SPDX-License-Identifier: MIT
// taxon-serve: option wiring only; the server is in run.cpp, searching in the library.
#include <exception>
#include <iostream>

#include "options.h"
#include "taxon/printable.h"

int main(int argc, char** argv) {
  try {
    int code = 0;
    auto options = taxon::serve::parse_options(argc, argv, &code);
    if (!options) return code;
    return taxon::serve::run(*options);
  } catch (const std::exception& e) {
    std::cerr << "taxon-serve: error: " << taxon::printable(e.what()) << "\n";
    return taxon::serve::kExitFatal;
  }
}
