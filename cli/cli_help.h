// SPDX-License-Identifier: MIT
// What the three programs share about their command lines: help text that
// shows options as a reader writes them (no parser internals such as
// "UINT:UINT in [1 - 100]" or "--no-partial{false}"), and an unknown option
// answered with the nearest one.
#ifndef TAXON_CLI_CLI_HELP_H_
#define TAXON_CLI_CLI_HELP_H_

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace taxon::cli {

/// Option names as written ("-n,--limit", "--no-partial"), then a placeholder
/// for the value ("N", "NUMBER", or the option's own option_text), nothing for
/// a flag. What an option needs or excludes is said in its description.
class PlainFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool positional) const override {
    if (positional) return opt->get_name(true, false);
    std::string out;
    for (const auto& s : opt->get_snames()) out += (out.empty() ? "-" : ",-") + s;
    for (const auto& l : opt->get_lnames()) out += (out.empty() ? "--" : ",--") + l;
    return out;
  }
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
    if (opt->get_type_size() == 0) return {};
    // CLI11 appends each check to the type name ("UINT:UINT in [1 - 100]",
    // "SECONDS:FLOAT in [0.1 - 3600]"); a name the program gave, colons and
    // all ("HOST:PORT"), is kept.
    std::string type = opt->get_type_name();
    for (std::size_t colon = type.find(':'); colon != std::string::npos;
         colon = type.find(':', colon + 1)) {
      const std::string rest = type.substr(colon + 1);
      static const char* const kChecks[] = {"FLOAT",    "UINT", "INT", "TEXT",     "NONNEGATIVE",
                                            "POSITIVE", "FILE", "DIR", "value in", "{"};
      if (std::any_of(std::begin(kChecks), std::end(kChecks),
                      [&rest](const char* c) { return rest.rfind(c, 0) == 0; })) {
        type.resize(colon);
        break;
      }
    }
    if (type == "UINT" || type == "INT") type = "N";
    if (type == "FLOAT") type = "NUMBER";
    std::string out = type.empty() ? std::string() : " " + type;
    if (!opt->get_default_str().empty()) out += "=" + opt->get_default_str();
    if (opt->get_expected_max() == CLI::detail::expected_max_vector_size &&
        out.compare(out.size() < 3 ? 0 : out.size() - 3, 3, "...") != 0)
      out += " ...";
    return out;
  }
};

inline void use_plain_help(CLI::App& app) { app.formatter(std::make_shared<PlainFormatter>()); }

namespace detail {

inline std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace detail

/// The first "--name" in argv (before "--") that `app` has no option for, as
/// one line: "unknown option --limt (did you mean --limit?)". Nothing when
/// every long option is known.
inline std::optional<std::string> unknown_option(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    const std::string name =
        arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
    std::string best;
    std::size_t best_distance = 0;
    bool known = false;
    for (const CLI::Option* opt : app.get_options()) {
      for (const auto& l : opt->get_lnames()) {
        if (l == name) known = true;
        const std::size_t d = detail::edit_distance(name, l);
        if (best.empty() || d < best_distance) best = l, best_distance = d;
      }
    }
    if (known) continue;
    std::string line = "unknown option --" + name;
    if (!best.empty() && best_distance <= std::max<std::size_t>(2, name.size() / 3))
      line += " (did you mean --" + best + "?)";
    return line;
  }
  return std::nullopt;
}

}  // namespace taxon::cli

#endif  // TAXON_CLI_CLI_HELP_H_
