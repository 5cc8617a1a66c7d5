// SPDX-License-Identifier: MIT
// The one place where Xapian's exceptions become taxon::Error.
#ifndef TAXON_XAPIAN_ERROR_H_
#define TAXON_XAPIAN_ERROR_H_

#include <string>

#include <xapian.h>

#include "taxon/error.h"

namespace taxon {

/// Converts a Xapian exception about `path` into taxon::Error.
Error from_xapian(const Xapian::Error& e, const std::string& path);

/// Runs `f`, turning any Xapian exception into taxon::Error.
template <typename F>
auto xapian_try(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Xapian::Error& e) {
    throw from_xapian(e, path);
  }
}

}  // namespace taxon

#endif  // TAXON_XAPIAN_ERROR_H_
