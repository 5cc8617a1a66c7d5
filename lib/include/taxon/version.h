// SPDX-License-Identifier: MIT
#ifndef TAXON_VERSION_H_
#define TAXON_VERSION_H_

#include "taxon/export.h"

namespace taxon {

/// Version of the library, "MAJOR.MINOR.PATCH".
TAXON_EXPORT const char* version();

/// Version of the index format this library reads and writes. An index of
/// another version must be rebuilt (taxon-index --rebuild).
inline constexpr int kSchemaVersion = 5;

}  // namespace taxon

#endif  // TAXON_VERSION_H_
