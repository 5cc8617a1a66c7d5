// SPDX-License-Identifier: MIT
// The settings a run writes with, stored in every shard (metadata key
// "taxon:settings"), so that a later run can reuse them
// (stored_index_options() in taxon/indexer.h) and notice when one that
// shapes pages changed: then every page is read again.
#ifndef TAXON_INDEX_SETTINGS_H_
#define TAXON_INDEX_SETTINGS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "index/hugo_site.h"
#include "index/shard.h"
#include "taxon/indexer.h"

namespace taxon::index {

/// The options that decide which files are pages and what their headings
/// are, and the Hugo sites of the run, as they are stored.
nlohmann::json settings_json(const IndexOptions& o, const std::vector<HugoSite>& sites);

/// The options a run stored as `stored` (settings_json()'s form, as read
/// from a shard's metadata); none when it is not a JSON object.
std::optional<IndexOptions> options_from_settings(std::string_view stored);

/// The settings that shape pages ("drafts", "lang", "map-shortcode",
/// "hugo-sites") and differ between `settings` and those stored in `db`;
/// none when `db` stores none.
std::vector<std::string> changed_settings(const Xapian::Database& db,
                                          const nlohmann::json& settings);

/// Stores `settings` in every shard whose copy differs, then commits every
/// shard with changes (the settings, the synonym table). Returns whether a
/// shard's settings were written.
bool store_settings(std::vector<Shard>& shards, const nlohmann::json& settings);

}  // namespace taxon::index

#endif  // TAXON_INDEX_SETTINGS_H_
