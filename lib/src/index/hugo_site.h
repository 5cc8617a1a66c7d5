// SPDX-License-Identifier: MIT
// A Hugo site's own settings, read from its configuration, so that the
// URLs and anchors taxon stores are the ones `hugo` builds: where content
// lives (contentDir, one a language), which languages there are and which
// is the default, the permalink patterns, ugly URLs and the heading-id style.
#ifndef TAXON_INDEX_HUGO_SITE_H_
#define TAXON_INDEX_HUGO_SITE_H_

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "taxon/page.h"

namespace taxon::index {

/// A configuration file that cannot be read or parsed.
struct ConfigError : std::runtime_error {
  ConfigError(std::string f, int l, std::string w)
      : std::runtime_error(f + ": " + w), file(std::move(f)), line(l), why(std::move(w)) {}
  std::string file;
  int line = 0;
  std::string why;
};

struct HugoSite {
  std::string root;             // absolute folder of the configuration
  std::string config;           // the file (or config/ folder) it was read from, for messages
  std::string base_path = "/";  // the path of baseURL: "/docs/" for https://x.org/docs/
  struct ContentDir {
    std::string abs;   // absolute, lexically normal, no trailing '/'
    std::string lang;  // language key of a language's own contentDir, or ""
  };
  std::vector<ContentDir> content;  // longest first
  std::string default_lang = "en";  // defaultContentLanguage (a language key)
  bool default_lang_in_subdir = false;
  // Language keys (lower case) and each one's code for analysis (languageCode, else the key).
  std::map<std::string, std::string> languages;
  std::map<std::string, std::string> permalinks;  // section -> pattern
  bool ugly_urls = false;
  bool path_to_lower = true;  // !disablePathToLower
  AnchorStyle anchors = AnchorStyle::GitHub;

  /// The content folder holding `abs_path` (a file), or nullptr.
  const ContentDir* content_dir_of(const std::string& abs_path) const;
};

/// Reads the site whose configuration lies in `folder`: hugo.toml,
/// hugo.yaml, hugo.yml, hugo.json, config.toml (...), and the files of
/// config/_default/ then config/production/ (what `hugo` builds with), each
/// named after the key it sets ("languages.toml") or "hugo"/"config" for the
/// top. nullopt when there is none. Throws ConfigError when one cannot be
/// read or parsed.
std::optional<HugoSite> read_hugo_site(const std::filesystem::path& folder);

/// The site a folder given to index belongs to: the folder itself holds a
/// configuration, or a folder above it does and the given folder lies in one
/// of that site's content folders (so that an unrelated config.toml above a
/// folder is not taken for a site's). nullopt when neither.
std::optional<HugoSite> find_hugo_site(const std::filesystem::path& abs_folder);

/// Where Hugo puts a page, and the language it gives it.
struct HugoPlace {
  std::string url;   // RelPermalink ("/docs/x/"), "" when Hugo renders no page for it
  std::string lang;  // the language's code for analysis, "" when the site gives none
};

/// The place of the page at `abs_path` (inside content_dir_of()) with front matter `front`.
HugoPlace hugo_place(const HugoSite& site, const std::string& abs_path, const FrontMatter& front);

/// Hugo's urlize of a title or file name: spaces to one '-', characters a
/// path keeps (letters, digits, marks, ._~+-#@%) kept, lower-cased unless
/// `lower` is false.
std::string hugo_urlize(std::string_view text, bool lower = true);

}  // namespace taxon::index

#endif  // TAXON_INDEX_HUGO_SITE_H_
