// SPDX-License-Identifier: MIT
#ifndef TAXON_TAXON_H_
#define TAXON_TAXON_H_

// Everything an embedding program needs.
#include "taxon/analyzer.h"
#include "taxon/error.h"
#include "taxon/indexer.h"
#include "taxon/page.h"
#include "taxon/printable.h"
#include "taxon/searcher.h"
#include "taxon/version.h"

#endif  // TAXON_TAXON_H_
