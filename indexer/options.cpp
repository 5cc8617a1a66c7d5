// SPDX-License-Identifier: MIT
#include "options.h"

#include "cli_help.h"
#include "site_config.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "taxon/error.h"
#include "taxon/printable.h"
#include "taxon/version.h"

namespace taxon::cli {
namespace {

constexpr const char* kFooter = R"(Exit status:
  0  everything was indexed (or already up to date)
  1  done, but some files were skipped (each reported as path:line: reason)
  2  bad command line (also: a folder to index does not exist, and nothing is
     created; --shard names another shard or shard count than the index folder
     holds; a --stub address is not HOST:PORT)
  3  fatal: the index (or the --stub -o file) cannot be opened or written
  4  the index is locked by another taxon-index (see --wait)

The index goes to --db, else $TAXON_DB, else .taxon in the current folder.
Options not given are taken from the [index] table of the nearest taxon.toml
(unless --no-config), else from the index: what shapes pages (--include,
--exclude, --no-ignore, --no-hugo, --drafts, --lang, --synonyms,
--map-shortcode, --max-file-size) is stored in it and reused by later runs.
Examples:
  taxon-index content/                 index a Hugo content folder
  taxon-index --rebuild --jobs 4 docs/ start over with 4 threads
  taxon-index --json content/ | jq .   summary for scripts
  taxon-index --shard 1/4 content/     build shard 1 of 4 (0/4 .. 3/4, one a host)
  taxon-index --stub h0:7000 h1:7000 -o cluster.stub
                                       list remote shards for taxon-query --allow-remote)";

// "K/N" of --shard: shard K (from 0) of N. An empty string, or why it is not one.
std::string parse_shard(const std::string& text, unsigned* k, unsigned* n) {
  const auto slash = text.find('/');
  auto number = [](const std::string& s, unsigned* out) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos)
      return false;
    *out = static_cast<unsigned>(std::stoul(s));
    return true;
  };
  if (slash == std::string::npos || !number(text.substr(0, slash), k) ||
      !number(text.substr(slash + 1), n))
    return "expected K/N, shard K (from 0) of an index of N shards, e.g. 0/4";
  if (*n == 0 || *n > kMaxShardCount)
    return "N must be from 1 to " + std::to_string(kMaxShardCount);
  if (*k >= *n)
    return "K must be below N: shards are numbered from 0, so the shards of " + std::to_string(*n) +
           " are 0/" + std::to_string(*n) + " to " + std::to_string(*n - 1) + "/" +
           std::to_string(*n);
  return {};
}

}  // namespace

// Table-like: one CLI11 declaration an option, in --help order, then the
// parse and the defaults from taxon.toml; it grows with the options, not
// with logic.
std::optional<IndexCliOptions> parse_options(int argc, char** argv, int* exit_code) {
  IndexCliOptions o;
  CLI::App app{
      "taxon-index: index the headings of Markdown pages (Hugo content folders) for taxon-query",
      "taxon-index"};
  use_plain_help(app);
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("taxon-index ") + taxon::version());
  std::string db;
  std::string max_size;
  std::string shard;
  std::vector<std::string> includes, excludes, map_shortcodes;
  auto* paths =
      app.add_option("paths", o.roots, "Folders (walked recursively) or single files to index");
  app.add_option("--db", db, "Index folder (default: $TAXON_DB, else ./.taxon)")->type_name("PATH");
  app.add_flag("--rebuild", o.index.rebuild,
               "Start from an empty index (built beside the old one, which it replaces when "
               "complete)");
  auto* jobs =
      app.add_option("-j,--jobs", o.index.jobs,
                     "Shards of a new index, each written by its own thread (default: the cores)")
          ->check(CLI::Range(0u, 256u));
  auto* shard_opt =
      app.add_option("--shard", shard,
                     "Write only shard K (from 0) of an index of N shards, pages placed as in a "
                     "whole index, for building one shard a host; the folder then holds that shard "
                     "alone (K/N)")
          ->type_name("K/N")
          ->excludes(jobs);
  app.add_option("--include", includes,
                 "File-name glob to index (repeatable; default *.md and *.markdown)")
      ->type_name("GLOB")
      ->allow_extra_args(false);
  app.add_option("--exclude", excludes,
                 "Glob on file or folder name or path below the root to leave out (repeatable)")
      ->type_name("GLOB")
      ->allow_extra_args(false);
  app.add_flag("--drafts", o.index.drafts, "Also index pages with draft: true");
  app.add_flag("!--no-hugo", o.index.hugo_config,
               "Do not read the Hugo site configuration (hugo.toml, config/_default/...): URLs "
               "and anchors then follow the folders and Hugo's defaults");
  bool no_config = false;
  app.add_flag("--no-config", no_config, "Do not read taxon.toml");
  app.add_flag("!--no-ignore", o.index.honour_ignore_files,
               "Index what .gitignore and .ignore files leave out too");
  app.add_flag("--follow-outside", o.index.follow_outside,
               "Follow symbolic links that lead outside the folders given (by default such a "
               "link is reported and skipped)");
  app.add_option("--max-file-size", max_size,
                 "Skip files larger than this (bytes, or with K, M, G; default 16M)")
      ->type_name("BYTES");
  app.add_option("--lang", o.index.default_lang, "Language of pages that name none (default: en)")
      ->type_name("CODE");
  app.add_option("--synonyms", o.index.synonyms,
                 "Synonym file: one group of equivalent words or phrases a line, comma-separated")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  app.add_option("--map-shortcode", map_shortcodes,
                 "Paired shortcode whose inside is a map (repeatable; default jsvis-map1)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  app.add_option("--wait", o.index.wait_seconds,
                 "Wait up to this many seconds for another writer's lock")
      ->check(CLI::NonNegativeNumber)
      ->type_name("SECONDS");
  app.add_option("--commit-every", o.index.commit_every,
                 "Headings written between commits (default 20000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000000}));
  bool compact = false, no_compact = false;
  auto* compact_flag = app.add_flag(
      "--compact", compact,
      "Rewrite every shard compactly after the run (by default only shards the run changed by "
      "a quarter or more)");
  app.add_flag("--no-compact", no_compact,
               "Never rewrite shards: neither compact them nor merge away the documents of "
               "replaced pages")
      ->excludes(compact_flag);
  app.add_flag("-q,--quiet", o.quiet,
               "No progress line and no summary line (problems are still reported)");
  app.add_flag("--json", o.json, "Print the summary as JSON on stdout");
  auto* stub = app.add_option("--stub", o.stub_addresses,
                              "Index nothing: print a stub listing remote shards, one 'remote "
                              "HOST:PORT' line each, in shard order (for taxon-query "
                              "--allow-remote --db STUB)")
                   ->type_name("HOST:PORT...");
  auto* output =
      app.add_option("-o,--output", o.stub_output, "With --stub: write the stub to this file")
          ->type_name("FILE")
          ->needs(stub);
  if (const auto unknown = unknown_option(app, argc, argv)) {
    std::cerr << "taxon-index: " << *unknown << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e) == 0 ? kExitOk : kExitUsage;
    return std::nullopt;
  }
  // Defaults: taxon.toml, then what the index stores.
  std::vector<std::string> config_paths;
  if (!no_config) {
    if (const auto file = find_site_config()) {
      const std::string why = apply_site_config(
          app, *file, "index",
          {"paths", "include", "exclude", "no-ignore", "no-hugo", "drafts", "lang", "synonyms",
           "map-shortcode", "max-file-size", "jobs", "quiet", "wait"},
          {"paths", "synonyms"}, &config_paths);
      if (!why.empty()) {
        std::cerr << "taxon-index: " << printable(why) << "\n";
        *exit_code = kExitUsage;
        return std::nullopt;
      }
    }
  }
  // --stub writes a stub and indexes nothing: no indexing option goes with it.
  const bool writes_stub = stub->count() > 0;
  if (writes_stub) {
    for (const auto* opt : app.get_options()) {
      if (opt == stub || opt == output || opt->count() == 0) continue;
      std::cerr << "taxon-index: --stub indexes nothing: "
                << (opt == paths ? std::string("folders to index") : opt->get_name())
                << " does not go with it\n";
      *exit_code = kExitUsage;
      return std::nullopt;
    }
  }
  if (o.roots.empty() && !writes_stub) {
    for (const auto& p : config_paths) o.roots.emplace_back(p);
    if (o.roots.empty()) {
      std::cerr << "taxon-index: " << paths->get_name()
                << ": give the folders or files to index (or --stub HOST:PORT...)\n";
      *exit_code = kExitUsage;
      return std::nullopt;
    }
  }
  if (shard_opt->count() > 0) {
    if (std::string why = parse_shard(shard, &o.index.shard_index, &o.index.shard_count);
        !why.empty()) {
      std::cerr << "taxon-index: --shard: '" << printable(shard.substr(0, 40)) << "': " << why
                << "\n";
      *exit_code = kExitUsage;
      return std::nullopt;
    }
  }
  if (!db.empty()) {
    o.index.db = db;
  } else if (const char* env = std::getenv("TAXON_DB"); env && *env) {
    o.index.db = env;
  }
  if (compact) o.index.compact = IndexOptions::Compact::Always;
  if (no_compact) o.index.compact = IndexOptions::Compact::Never;
  if (!includes.empty()) o.index.include = includes;
  o.index.exclude = excludes;
  if (!map_shortcodes.empty()) o.index.parse.map_shortcodes = map_shortcodes;
  if (!max_size.empty()) {
    char* end = nullptr;
    double v = std::strtod(max_size.c_str(), &end);
    std::string unit = end ? std::string(end) : std::string();
    double mult = unit.empty() || unit == "B"                     ? 1
                  : (unit == "K" || unit == "k" || unit == "KiB") ? 1024.0
                  : (unit == "M" || unit == "m" || unit == "MiB") ? 1024.0 * 1024
                  : (unit == "G" || unit == "g" || unit == "GiB") ? 1024.0 * 1024 * 1024
                                                                  : -1;
    if (v <= 0 || mult < 0) {
      std::cerr << "taxon-index: --max-file-size: '" << max_size << "' is not a size (e.g. 16M)\n";
      *exit_code = kExitUsage;
      return std::nullopt;
    }
    o.index.max_file_size = static_cast<std::uintmax_t>(v * mult);
  }
  // What the index stores, for the options given neither here nor in taxon.toml.
  if (!writes_stub) {
    try {
      o.stored = stored_index_options(o.index.db);
    } catch (const Error&) {
      // The run opens the index and reports what is wrong with it.
    }
  }
  if (o.stored) {
    auto unset = [&](const char* name) { return app.get_option(name)->count() == 0; };
    const IndexOptions& st = *o.stored;
    if (unset("--include")) o.index.include = st.include;
    if (unset("--exclude")) o.index.exclude = st.exclude;
    if (unset("--no-ignore")) o.index.honour_ignore_files = st.honour_ignore_files;
    if (unset("--no-hugo")) o.index.hugo_config = st.hugo_config;
    if (unset("--drafts")) o.index.drafts = st.drafts;
    if (unset("--lang")) o.index.default_lang = st.default_lang;
    if (unset("--map-shortcode")) o.index.parse.map_shortcodes = st.parse.map_shortcodes;
    if (unset("--max-file-size")) o.index.max_file_size = st.max_file_size;
    if (unset("--synonyms")) o.index.synonyms = st.synonyms;
  }
  return o;
}

}  // namespace taxon::cli
