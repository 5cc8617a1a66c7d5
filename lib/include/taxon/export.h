// SPDX-License-Identifier: MIT
#ifndef TAXON_EXPORT_H_
#define TAXON_EXPORT_H_

// Symbols of the public API. The library is built with hidden visibility, so
// only what carries TAXON_EXPORT is reachable from a program that embeds it.
#if defined(TAXON_SHARED_LIBRARY) && defined(TAXON_COMPILE_LIBRARY)
#define TAXON_EXPORT __attribute__((visibility("default")))
#else
#define TAXON_EXPORT
#endif

#endif  // TAXON_EXPORT_H_
