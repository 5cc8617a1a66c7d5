// SPDX-License-Identifier: MIT
// Stored settings: what a run writes into "taxon:settings", how the next run
// compares them, and how a program reads them back (stored_index_options).
// The settings go in last in a run: a run cut short leaves the old ones, and
// the next run reads every page again.
#include "index/settings.h"

#include <filesystem>

#include "format/layout.h"
#include "format/schema.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon {
namespace index {
namespace {

using schema::kMetaSettings;  // the settings the last run wrote with (settings_json())

// What a change of settings makes stale in pages already indexed: the
// settings that shape a page's headings, URL or language ("drafts" brings
// drafts in or out; include/exclude only change which files are pages,
// which every run works out anyway).
const char* const kShapingSettings[] = {"drafts", "lang", "map-shortcode", "hugo-sites"};

nlohmann::json site_json(const HugoSite& site) {
  nlohmann::json content = nlohmann::json::array();
  for (const auto& c : site.content) content.push_back({c.abs, c.lang});
  return {{"root", site.root},
          {"base", site.base_path},
          {"content", content},
          {"default-lang", site.default_lang},
          {"in-subdir", site.default_lang_in_subdir},
          {"languages", site.languages},
          {"permalinks", site.permalinks},
          {"ugly", site.ugly_urls},
          {"lower", site.path_to_lower},
          {"anchors", static_cast<int>(site.anchors)}};
}

}  // namespace

nlohmann::json settings_json(const IndexOptions& o, const std::vector<HugoSite>& sites) {
  nlohmann::json j = {
      {"include", o.include},
      {"exclude", o.exclude},
      {"ignore-files", o.honour_ignore_files},
      {"hugo-config", o.hugo_config},
      {"drafts", o.drafts},
      {"lang", o.default_lang},
      {"map-shortcode", o.parse.map_shortcodes},
      {"max-file-size", o.max_file_size},
      {"synonyms", o.synonyms.empty() ? std::string() : fs::absolute(o.synonyms).string()}};
  nlohmann::json hugo = nlohmann::json::array();
  for (const auto& site : sites) hugo.push_back(site_json(site));
  j["hugo-sites"] = hugo;
  return j;
}

std::vector<std::string> changed_settings(const Xapian::Database& db,
                                          const nlohmann::json& settings) {
  std::vector<std::string> changed;
  const std::string stored = db.get_metadata(std::string(kMetaSettings));
  const nlohmann::json before = nlohmann::json::parse(stored, nullptr, false);
  if (!before.is_object()) return changed;
  for (const char* key : kShapingSettings) {
    if (before.value(key, nlohmann::json()) == settings[key]) continue;
    changed.emplace_back(key);
  }
  return changed;
}

bool store_settings(std::vector<Shard>& shards, const nlohmann::json& settings) {
  bool wrote = false;
  const std::string settings_text = settings.dump();
  for (auto& sh : shards) {
    if (sh.db.get_metadata(std::string(kMetaSettings)) != settings_text) {
      sh.db.set_metadata(std::string(kMetaSettings), settings_text);
      sh.dirty = true;
      wrote = true;
    }
    if (sh.dirty) commit_shard(sh);
  }
  return wrote;
}

std::optional<IndexOptions> options_from_settings(std::string_view stored) {
  const nlohmann::json j = nlohmann::json::parse(stored, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  // A value of another type than written (a damaged or hand-made shard) is
  // no stored options, not an exception out of json::value.
  try {
    IndexOptions o;
    o.include = j.value("include", o.include);
    o.exclude = j.value("exclude", o.exclude);
    o.honour_ignore_files = j.value("ignore-files", o.honour_ignore_files);
    o.hugo_config = j.value("hugo-config", o.hugo_config);
    o.drafts = j.value("drafts", o.drafts);
    o.default_lang = j.value("lang", o.default_lang);
    o.parse.map_shortcodes = j.value("map-shortcode", o.parse.map_shortcodes);
    o.max_file_size = j.value("max-file-size", o.max_file_size);
    o.synonyms = j.value("synonyms", std::string());
    return o;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace index

std::optional<IndexOptions> stored_index_options(const fs::path& db) {
  std::error_code ec;
  if (!fs::is_directory(db, ec) || !format::is_index_folder(db)) return std::nullopt;
  return xapian_try(db.string(), [&]() -> std::optional<IndexOptions> {
    for (const auto& entry : format::read_index_stub(db)) {
      // Only a database as taxon writes it is opened (a FIFO would block);
      // the run itself reports what is wrong with any other.
      if (format::shard_state(entry.path) != format::ShardState::Ready) return std::nullopt;
      Xapian::Database d(entry.path.string(), Xapian::DB_BACKEND_GLASS);
      if (auto o = index::options_from_settings(d.get_metadata(std::string(schema::kMetaSettings))))
        return o;
    }
    return std::nullopt;
  });
}

}  // namespace taxon
