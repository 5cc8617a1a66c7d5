// SPDX-License-Identifier: MIT
#include "options.h"

#include "cli_help.h"
#include "site_config.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "taxon/version.h"

namespace taxon::cli {
namespace {

constexpr const char* kFooter = R"(Query syntax (docs/query-syntax.md):
  debris mitigation          all words must match (--any: at least one); small words like
                             "the" need not, and the last word is completed as you type
  "debris mitigation"        exact phrase         space NEAR debris   within 10 words
  space AND (debris OR junk) NOT treaty           -word excludes, +word requires
  miti*                      prefix               label:debris keywords:cleanup
  category:stakeholders tag:international-entities page:PATH-OR-TITLE lang:en
  level:2..3                 heading levels       under:3.2  under:"Security Interests"
  under:"Strategic Objectives/Security Interests"   a subtree, by number, label or breadcrumb
Limits: 8192 bytes, 512 words, parentheses 32 deep, 16 under:/page: values, 8 wildcards.

Scripting: -0 (NUL after each hit), --output files (page paths), --batch (one query a
line on stdin, one JSON line out each), - or piped input as the query.

Exit status: 0 hits, 1 no hits, 2 bad command line, malformed query, no query or no index found,
3 the index cannot be read (damaged, other version, not as taxon wrote it, I/O) or a
remote shard does not answer within --timeout.
The index is --db, else $TAXON_DB, else the nearest .taxon folder from here upwards.
Options not given are taken from the [query] table of the nearest taxon.toml
(unless --no-config): limit, any, partial, no-partial, all, lang, no-spelling,
format, output, tree, group, facets, base-url, color, timeout.
A .taxon folder found by walking up is only read as taxon wrote it: plain shard
folders inside it, never remote shards or programs.)";

}  // namespace

// Table-like: one CLI11 declaration an option, in --help order, then the
// parse and the defaults from taxon.toml; it grows with the options, not
// with logic.
std::optional<QueryCliOptions> parse_options(int argc, char** argv, int* exit_code) {
  QueryCliOptions o;
  CLI::App app{"taxon-query: find topics in the heading trees indexed by taxon-index",
               "taxon-query"};
  use_plain_help(app);
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("taxon-query ") + taxon::version());
  std::vector<std::string> words;
  std::string group = "none";
  app.add_option("query", words,
                 "The query (several arguments are joined with spaces; - or none, with input "
                 "that is not a terminal: read from stdin)");
  app.add_option("--db", o.db,
                 "Index folder or stub file (default: $TAXON_DB, else the nearest .taxon)")
      ->type_name("PATH");
  app.add_flag("--allow-remote", o.allow_remote,
               "Read remote HOST:PORT shards listed in the stub of the index folder given with "
               "--db or $TAXON_DB (a stub file given there may list them without this)");
  app.add_option("--timeout", o.timeout_seconds,
                 "Seconds a remote shard may take to connect or to answer (default 5)")
      ->check(CLI::Range(0.1, 3600.0))
      ->type_name("SECONDS");
  app.add_flag("--allow-partial", o.allow_partial,
               "Search the other shards when a remote shard cannot be reached, with a warning "
               "naming it (and missing_shards in the JSON), instead of failing");
  app.add_option("-n,--limit", o.search.limit, "Number of hits to show (default 10)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--offset", o.search.offset, "Skip this many hits first")
      ->check(CLI::Range(std::size_t{0}, QueryLimits{}.max_rank));
  app.add_flag("--any", o.search.any, "Match headings with any of the words, not all of them");
  app.add_flag("--partial", o.search.partial,
               "Always treat the last word as a prefix (by default it is completed when it is "
               "no word of the index, or when the query finds nothing as typed)");
  app.add_flag("!--no-partial", o.search.complete,
               "Never complete the last word (no search as you type)");
  app.add_flag("--all", o.search.all,
               "Strict: every word must match, stop words included, and nothing else is tried "
               "(no related word forms, no headings with most of the words)");
  app.add_option("--lang", o.search.languages,
                 "Stem the query in this language only (ISO code, repeatable; default: every "
                 "language of the index)")
      ->type_name("CODE")
      ->allow_extra_args(false);
  app.add_flag("!--no-spelling", o.search.spelling, "Do not suggest or use spelling corrections");
  app.add_flag(
      "--json", [&o](std::int64_t) { o.format = Format::Json; }, "Same as --format json");
  auto* format = app.add_option("--format", o.format,
                                "Output: text, json, tsv or text0 (the TSV fields, each hit "
                                "ended by a NUL byte instead of a newline)")
                     ->transform(CLI::CheckedTransformer(
                         std::map<std::string, Format>{{"text", Format::Text},
                                                       {"json", Format::Json},
                                                       {"tsv", Format::Tsv},
                                                       {"text0", Format::Text0}},
                         CLI::ignore_case))
                     ->option_text("text|json|tsv|text0");
  app.add_flag(
         "-0,--null", [&o](std::int64_t) { o.format = Format::Text0; },
         "Same as --format text0 (with --output files: paths ended by NUL)")
      ->excludes(format);
  app.add_option("--output", o.output,
                 "What to print: hits (default), or files: each page with a hit once, by its "
                 "best hit's rank, one path a line")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Output>{{"hits", Output::Hits}, {"files", Output::Files}},
          CLI::ignore_case))
      ->option_text("hits|files");
  app.add_flag("--batch", o.batch,
               "Read one query a line from stdin and write one JSON document a line (the "
               "--json form, on one line), opening the index once");
  app.add_flag("--tree", o.tree, "Show the hits inside the outlines they come from");
  app.add_option("--group", group, "Best hit per page or per top-level branch")
      ->check(CLI::IsMember({"none", "page", "branch"}))
      ->option_text("none|page|branch");
  app.add_flag("--facets", o.search.facets, "Count hits per category, tag and page");
  app.add_flag("-c,--count", o.count, "Print only the (estimated) number of hits");
  app.add_option("--base-url", o.search.base_url,
                 "Prefix of the hit links (e.g. https://example.org)")
      ->type_name("URL");
  app.add_flag("--explain", o.explain, "Print the Xapian query that ran");
  app.add_option("--color,--colour", o.color,
                 "Colour: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Color>{
              {"auto", Color::Auto}, {"always", Color::Always}, {"never", Color::Never}},
          CLI::ignore_case))
      ->option_text("auto|always|never");
  app.add_option("--complete", o.complete,
                 "Print what the query word WORD may become, one a line, from the index: field "
                 "names, category:, tag:, lang:, level: and under: values, words (for shell "
                 "completion)")
      ->type_name("WORD");
  bool no_config = false;
  app.add_flag("--no-config", no_config, "Do not read taxon.toml");
  if (const auto unknown = unknown_option(app, argc, argv)) {
    std::cerr << "taxon-query: " << *unknown << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e) == 0 ? kExitHits : kExitUsage;
    return std::nullopt;
  }
  if (!no_config) {
    if (const auto file = find_site_config()) {
      const std::string why = apply_site_config(
          app, *file, "query",
          {"limit", "any", "partial", "no-partial", "all", "lang", "no-spelling", "format",
           "output", "tree", "group", "facets", "base-url", "color", "timeout"},
          {});
      if (!why.empty()) {
        std::cerr << "taxon-query: " << why << "\n";
        *exit_code = kExitUsage;
        return std::nullopt;
      }
    }
  }
  // Completions are many short lines: a shell shows what fits.
  if (o.complete && app.count("--limit") == 0) o.search.limit = 100;
  for (const auto& w : words) {
    if (!o.query.empty()) o.query += ' ';
    o.query += w;
  }
  o.query_given = !words.empty() && !(words.size() == 1 && words[0] == "-");
  o.search.group = group == "page"     ? GroupBy::Page
                   : group == "branch" ? GroupBy::Branch
                                       : GroupBy::None;
  return o;
}

}  // namespace taxon::cli
