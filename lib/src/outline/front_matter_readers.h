// SPDX-License-Identifier: MIT
// yaml-cpp's, toml++'s and nlohmann-json's trees as Value trees, and back
// to JSON for whole configuration documents.
#ifndef TAXON_OUTLINE_FRONT_MATTER_READERS_H_
#define TAXON_OUTLINE_FRONT_MATTER_READERS_H_

#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "outline/front_matter_value.h"

namespace taxon::outline {

/// Each parser's tree at nesting `depth` as a Value tree, charged to
/// `budget`. Throws ConvertError.
Value from_yaml(const YAML::Node& n, int depth, Budget& budget);
Value from_toml(const toml::node& n, int depth, Budget& budget);
Value from_json(const nlohmann::json& j, int depth, Budget& budget);

}  // namespace taxon::outline

#endif  // TAXON_OUTLINE_FRONT_MATTER_READERS_H_
