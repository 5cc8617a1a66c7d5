// SPDX-License-Identifier: MIT
#ifndef TAXON_INDEX_PERMALINK_H_
#define TAXON_INDEX_PERMALINK_H_

#include <string>

#include "taxon/page.h"

namespace taxon::index {

/// The Hugo permalink path of a page (no anchor) outside a Hugo site: from
/// front matter `url`, else from its path below the content root (`rel`)
/// with `slug` applied. Pages of a site are placed by hugo_place (hugo_site.h).
std::string permalink(const std::string& rel, const FrontMatter& front, const std::string& lang,
                      const std::string& default_lang);

}  // namespace taxon::index

#endif  // TAXON_INDEX_PERMALINK_H_
