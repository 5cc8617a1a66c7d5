// SPDX-License-Identifier: MIT
// Front matter in the three forms Hugo accepts: YAML between `---` lines,
// TOML between `+++` lines, or a JSON object at the top of the file.
#ifndef TAXON_OUTLINE_FRONT_MATTER_H_
#define TAXON_OUTLINE_FRONT_MATTER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "taxon/page.h"

namespace taxon::outline {

/// Where the front matter sits in the file, and how it parsed.
struct FrontMatterBlock {
  std::size_t end = 0;  ///< offset of the first body byte
  bool present = false;
  bool ok = true;
  int error_line = 0;  ///< 1-based file line of the problem
  std::string error;   ///< message when !ok
};

/// Finds and parses front matter at the start of `text` (BOM already
/// removed). Fills `out`. Never throws. Front matter over the limits in
/// `options` (size, values, depth) comes back as !ok.
FrontMatterBlock parse_front_matter(std::string_view text, FrontMatter& out,
                                    const ParseOptions& options = {});

/// A whole configuration document (a Hugo site's hugo.toml, config.yaml...).
enum class DocumentFormat { Yaml, Toml, Json };

/// Parses `text` into JSON, every key lower-cased (Hugo's keys are not case
/// sensitive), under the same limits as front matter (`options`), so a YAML
/// alias bomb is refused here too. Scalars stay text, booleans and numbers
/// become JSON's. Throws std::runtime_error("line N: why").
nlohmann::json parse_document(std::string_view text, DocumentFormat format,
                              const ParseOptions& options = {});

}  // namespace taxon::outline

#endif  // TAXON_OUTLINE_FRONT_MATTER_H_
