// SPDX-License-Identifier: MIT
// taxon.toml: a site's defaults for the programs' options, found in the
// current folder or the nearest folder above that has one (like .taxon).
//
//   [index]                       # taxon-index
//   paths = ["content"]           # folders to index when none are given
//   map-shortcode = ["callout"]
//   exclude = ["drafts/*"]
//   [query]                       # taxon-query
//   limit = 20
//   base-url = "https://example.org"
//
// A key is an option's long name; the command line wins over it. Only
// options that change what is indexed or shown may be set: nothing that
// opens another index, reaches the network or deletes (--db, --rebuild,
// --allow-remote, --follow-outside...), since a taxon.toml above the folder
// one works in may be someone else's. Paths are relative to the file.
#ifndef TAXON_CLI_SITE_CONFIG_H_
#define TAXON_CLI_SITE_CONFIG_H_

#include <toml++/toml.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace taxon::cli {

inline constexpr const char* kSiteConfigName = "taxon.toml";

/// The nearest taxon.toml from the current folder upwards, if any.
inline std::optional<std::filesystem::path> find_site_config() {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::current_path(ec);
  if (ec) return std::nullopt;
  for (;; dir = dir.parent_path()) {
    const auto file = dir / kSiteConfigName;
    if (std::filesystem::is_regular_file(file, ec)) return file;
    if (dir == dir.parent_path()) return std::nullopt;
  }
}

/// Applies the `section` table of `file` to the options of `app` not given
/// on the command line. `allowed` lists the keys that may be set there;
/// `paths` those whose values are paths (made relative to the file's
/// folder). Sets `values` for keys that are no option ("paths"). Returns ""
/// or one "file:line: why" line.
inline std::string apply_site_config(CLI::App& app, const std::filesystem::path& file,
                                     const std::string& section,
                                     const std::set<std::string>& allowed,
                                     const std::set<std::string>& paths,
                                     std::vector<std::string>* extra_paths = nullptr) {
  toml::table tbl;
  try {
    tbl = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
           std::string(e.description());
  }
  const toml::table* t = tbl[section].as_table();
  if (!t) return {};
  const std::filesystem::path base = file.parent_path();
  for (auto&& [key, node] : *t) {
    const std::string name(key.str());
    const std::string where =
        file.string() + ":" + std::to_string(node.source().begin.line) + ": [" + section + "] ";
    if (!allowed.contains(name)) return where + name + ": not a setting taxon.toml may hold here";
    // The values as text.
    std::vector<std::string> values;
    auto add = [&](const toml::node& v) -> bool {
      if (auto s = v.value<std::string>()) {
        values.push_back(paths.contains(name) ? (base / *s).lexically_normal().string() : *s);
      } else if (auto b = v.value_exact<bool>()) {
        values.emplace_back(*b ? "true" : "false");
      } else if (auto i = v.value_exact<std::int64_t>()) {
        values.push_back(std::to_string(*i));
      } else if (auto d = v.value_exact<double>()) {
        values.push_back(std::to_string(*d));
      } else {
        return false;
      }
      return true;
    };
    bool ok = true;
    if (const toml::array* a = node.as_array()) {
      for (auto&& v : *a) ok = ok && add(v);
    } else {
      ok = add(node);
    }
    if (!ok) return where + name + ": expected a string, number, boolean or a list of them";
    if (name == "paths" && extra_paths) {
      *extra_paths = values;
      continue;
    }
    CLI::Option* opt = app.get_option_no_throw("--" + name);
    if (!opt) return where + name + ": no such option";
    if (opt->count() > 0) continue;  // the command line wins
    const auto excludes = opt->get_excludes();
    if (std::any_of(excludes.begin(), excludes.end(),
                    [](const CLI::Option* other) { return other->count() > 0; }))
      continue;  // so does an option given there that excludes this one
    if (opt->get_type_size() == 0) {
      // A flag: true sets it, false leaves it.
      if (values.size() != 1 || (values[0] != "true" && values[0] != "false"))
        return where + name + ": expected true or false";
      if (values[0] == "false") continue;
      values[0] = opt->get_flag_value(name, "");  // "false" for a --no-... flag
    }
    try {
      for (const auto& v : values) opt->add_result(v);
      opt->run_callback();
    } catch (const CLI::Error& e) {
      return where + name + ": " + e.what();
    }
  }
  return {};
}

}  // namespace taxon::cli

#endif  // TAXON_CLI_SITE_CONFIG_H_
