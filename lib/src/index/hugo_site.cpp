// SPDX-License-Identifier: MIT
// Hugo's rules here were read off what hugo 0.111 builds (tests/cli/hugo_test.cpp
// builds a site with the real program and checks every URL and anchor).
#include "index/hugo_site.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "outline/front_matter.h"
#include "util/file.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

constexpr std::uintmax_t kMaxConfigBytes = 1u << 20;

// Values of `from` over those of `into`, tables merged key by key.
void merge(nlohmann::json& into, const nlohmann::json& from) {
  if (!into.is_object() || !from.is_object()) {
    into = from;
    return;
  }
  for (auto it = from.begin(); it != from.end(); ++it) merge(into[it.key()], it.value());
}

std::optional<outline::DocumentFormat> format_of(const std::string& ext) {
  if (ext == ".toml") return outline::DocumentFormat::Toml;
  if (ext == ".yaml" || ext == ".yml") return outline::DocumentFormat::Yaml;
  if (ext == ".json") return outline::DocumentFormat::Json;
  return std::nullopt;
}

nlohmann::json read_config(const fs::path& file, outline::DocumentFormat format) {
  std::string text;
  const util::FileRead r = util::read_regular_file(file.string(), kMaxConfigBytes, text);
  if (r.status == util::FileRead::Status::TooBig)
    throw ConfigError(file.string(), 0,
                      "over the size limit of " + std::to_string(kMaxConfigBytes) + " bytes");
  if (r.status != util::FileRead::Status::Ok) throw ConfigError(file.string(), 0, "cannot be read");
  nlohmann::json j;
  try {
    j = outline::parse_document(text, format);
  } catch (const std::runtime_error& e) {
    // "line N: why"
    std::string why = e.what();
    int line = 0;
    if (why.rfind("line ", 0) == 0) {
      line = std::atoi(why.c_str() + 5);
      if (auto colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
    }
    throw ConfigError(file.string(), line, why);
  }
  if (!j.is_object()) throw ConfigError(file.string(), 0, "not a table of settings");
  return j;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string text_of(const nlohmann::json& j, const char* key, std::string fallback = {}) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

bool flag_of(const nlohmann::json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) return it->get<std::string>() == "true";
  return fallback;
}

std::string normal(const fs::path& p) {
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool inside(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
         path[folder.size()] == '/';
}

// The path of a base URL, with a '/' at each end.
std::string base_path_of(const std::string& base_url) {
  std::string path = base_url;
  if (auto scheme = path.find("://"); scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? std::string() : path.substr(slash);
  } else if (path.empty() || path.front() != '/') {
    path.clear();
  }
  if (auto cut = path.find_first_of("?#"); cut != std::string::npos) path.resize(cut);
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  if (path.back() != '/') path += '/';
  return path;
}

// Year, month and day from a front-matter date ("2024-03-05", "2024-03-05T10:00:00Z");
// Go's zero time (1-01-01) when there is none, as Hugo's permalinks show.
struct Date {
  int year = 1, month = 1, day = 1;
};

Date date_of(const FrontMatter& front) {
  std::string text = front.date;
  for (const char* key : {"publishdate", "pubdate", "published", "lastmod", "modified"}) {
    if (!text.empty()) break;
    for (const auto& [k, v] : front.params)
      if (util::ascii_lower(k) == key) text = v;
  }
  Date d;
  text = std::string(util::trim(text));
  if (text.size() >= 10 && text[4] == '-' && text[7] == '-' &&
      std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
    d.year = std::stoi(text.substr(0, 4));
    const int m = std::atoi(text.substr(5, 2).c_str()), day = std::atoi(text.substr(8, 2).c_str());
    if (m >= 1 && m <= 12 && day >= 1 && day <= 31) d.month = m, d.day = day;
  }
  return d;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string two_digits(int n) {
  std::string s = std::to_string(n);
  return s.size() < 2 ? "0" + s : s;
}

// The value of one permalink token (":year" without its colon), or nullopt.
std::optional<std::string> token_value(const std::string& token, const Date& date,
                                       const std::string& section, const std::string& sections,
                                       const std::string& title, const std::string& slug,
                                       const std::string& filename, bool lower) {
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  static const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                "Thursday", "Friday", "Saturday"};
  const long days = days_from_civil(date.year, date.month, date.day);
  const int weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  if (token == "year") return std::to_string(date.year);
  if (token == "month") return two_digits(date.month);
  if (token == "monthname") return std::string(kMonths[date.month - 1]);
  if (token == "day") return two_digits(date.day);
  if (token == "weekday") return std::to_string(weekday);
  if (token == "weekdayname") return std::string(kDays[weekday]);
  if (token == "yearday") return std::to_string(days - days_from_civil(date.year, 1, 1) + 1);
  if (token == "section") return hugo_urlize(section, lower);
  if (token == "sections") return hugo_urlize(sections, lower);
  if (token == "title") return hugo_urlize(title, lower);
  if (token == "slug") return hugo_urlize(slug.empty() ? title : slug, lower);
  if (token == "filename") return hugo_urlize(filename, lower);
  if (token == "slugorfilename") return hugo_urlize(slug.empty() ? filename : slug, lower);
  return std::nullopt;
}

std::string expand(const std::string& pattern, const Date& date, const std::string& section,
                   const std::string& sections, const std::string& title, const std::string& slug,
                   const std::string& filename, bool lower) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] == ':') {
      std::size_t j = i + 1;
      while (j < pattern.size() && pattern[j] >= 'a' && pattern[j] <= 'z') ++j;
      if (auto v = token_value(pattern.substr(i + 1, j - i - 1), date, section, sections, title,
                               slug, filename, lower)) {
        out += *v;
        i = j;
        continue;
      }
    }
    out += pattern[i++];
  }
  return out;
}

// "//" made one '/', a '/' in front.
std::string clean_path(const std::string& path) {
  std::string out = "/";
  for (char c : path) {
    if (c == '/' && out.back() == '/') continue;
    out += c;
  }
  return out;
}

// Whether the page is a resource of a leaf bundle: a folder from its own up
// to the content folder holds an index.md that is not the page itself.
bool in_leaf_bundle(const std::string& content_dir, const fs::path& page) {
  for (fs::path dir = page.parent_path();
       inside(dir.string(), content_dir) || dir.string() == content_dir; dir = dir.parent_path()) {
    for (const char* name : {"index.md", "index.markdown"}) {
      const fs::path index = dir / name;
      if (index != page && is_file(index)) return true;
    }
    if (dir.string() == content_dir) break;
  }
  return false;
}

}  // namespace

std::string hugo_urlize(std::string_view text, bool lower) {
  std::string out;
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  bool hyphen_due = false, was_hyphen = false;
  auto hex = [](std::uint8_t c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::int32_t i = 0; i < length;) {
    const std::int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;
    bool allowed = c == '.' || c == '/' || c == '\\' || c == '_' || c == '#' || c == '~' ||
                   c == '-' || c == '@' || u_isalpha(c) || u_isdigit(c) ||
                   (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
    if (c == '%' && start + 2 < length && hex(s[start + 1]) >= 0 && hex(s[start + 2]) >= 0) {
      // An escape: Hugo's URL comes out unescaped.
      c = hex(s[start + 1]) * 16 + hex(s[start + 2]);
      i = start + 3;
      allowed = c < 0x80;
    }
    if (allowed) {
      was_hyphen = c == '-';
      if (hyphen_due && !was_hyphen) out += '-';
      hyphen_due = false;
      const UChar32 w = lower ? u_tolower(c) : c;
      std::uint8_t buf[U8_MAX_LENGTH];
      std::int32_t n = 0;
      U8_APPEND_UNSAFE(buf, n, static_cast<std::uint32_t>(w));  // w >= 0: a code point
      out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    } else if (!out.empty() && !was_hyphen && (u_isUWhiteSpace(c) || c == '+')) {
      hyphen_due = true;
    }
  }
  return out;
}

const HugoSite::ContentDir* HugoSite::content_dir_of(const std::string& abs_path) const {
  for (const auto& c : content)
    if (inside(abs_path, c.abs)) return &c;
  return nullptr;
}

std::optional<HugoSite> read_hugo_site(const fs::path& folder) {
  nlohmann::json config = nlohmann::json::object();
  std::string from;
  // config/_default/ then config/production/: `hugo` builds for production.
  for (const char* env : {"_default", "production"}) {
    const fs::path dir = folder / "config" / env;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (format_of(it->path().extension().string()) && is_file(it->path()))
        files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      nlohmann::json part = read_config(f, *format_of(f.extension().string()));
      const std::string key = util::ascii_lower(f.stem().string());
      if (key == "hugo" || key == "config")
        merge(config, part);
      else
        merge(config[key], part);
      if (from.empty()) from = (folder / "config").string();
    }
  }
  // The site's own file (hugo.* before config.*), over the folder's.
  bool found = false;
  for (const char* name : {"hugo", "config"}) {
    for (const char* ext : {".toml", ".yaml", ".yml", ".json"}) {
      const fs::path f = folder / (std::string(name) + ext);
      if (!is_file(f)) continue;
      merge(config, read_config(f, *format_of(ext)));
      from = f.string();
      found = true;
      break;
    }
    if (found) break;
  }
  if (from.empty()) return std::nullopt;

  HugoSite site;
  site.root = normal(fs::absolute(folder));
  site.config = from;
  site.base_path = base_path_of(text_of(config, "baseurl"));
  site.default_lang = util::ascii_lower(text_of(config, "defaultcontentlanguage", "en"));
  site.default_lang_in_subdir = flag_of(config, "defaultcontentlanguageinsubdir", false);
  site.ugly_urls = flag_of(config, "uglyurls", false);
  site.path_to_lower = !flag_of(config, "disablepathtolower", false);
  auto in_site = [&](const std::string& dir) { return normal(fs::path(site.root) / dir); };
  site.content.push_back({in_site(text_of(config, "contentdir", "content")), ""});
  if (auto langs = config.find("languages"); langs != config.end() && langs->is_object()) {
    for (auto it = langs->begin(); it != langs->end(); ++it) {
      if (!it->is_object() || flag_of(*it, "disabled", false)) continue;
      site.languages[it.key()] = text_of(*it, "languagecode", it.key());
      if (std::string dir = text_of(*it, "contentdir"); !dir.empty())
        site.content.push_back({in_site(dir), it.key()});
    }
  }
  std::stable_sort(site.content.begin(), site.content.end(),
                   [](const auto& a, const auto& b) { return a.abs.size() > b.abs.size(); });
  if (auto p = config.find("permalinks"); p != config.end() && p->is_object()) {
    // Newer sites nest the pages' patterns under "page".
    const nlohmann::json& table =
        p->contains("page") && (*p)["page"].is_object() ? (*p)["page"] : *p;
    for (auto it = table.begin(); it != table.end(); ++it)
      if (it->is_string()) site.permalinks[util::ascii_lower(it.key())] = it->get<std::string>();
  }
  const nlohmann::json parser =
      config.value("/markup/goldmark/parser"_json_pointer, nlohmann::json::object());
  if (parser.is_object()) {
    const std::string type = util::ascii_lower(text_of(parser, "autoheadingidtype", "github"));
    if (type == "github-ascii") site.anchors = AnchorStyle::GitHubAscii;
    if (type == "blackfriday") site.anchors = AnchorStyle::Blackfriday;
    if (!flag_of(parser, "autoheadingid", true)) site.anchors = AnchorStyle::None;
  }
  return site;
}

std::optional<HugoSite> find_hugo_site(const fs::path& abs_folder) {
  const std::string start = normal(abs_folder);
  for (fs::path dir = start;; dir = dir.parent_path()) {
    std::optional<HugoSite> site = read_hugo_site(dir);
    if (site) {
      if (normal(dir) == start) return site;
      for (const auto& c : site->content)
        if (start == c.abs || inside(start, c.abs)) return site;
      return std::nullopt;
    }
    if (dir == dir.parent_path()) return std::nullopt;
  }
}

HugoPlace hugo_place(const HugoSite& site, const std::string& abs_path, const FrontMatter& front) {
  HugoPlace place;
  const HugoSite::ContentDir* cd = site.content_dir_of(abs_path);
  if (!cd) return place;
  const fs::path file(abs_path);
  const std::string rel = abs_path.substr(cd->abs.size() + 1);
  // The language: the content folder's, else a configured ".fr" before the extension.
  std::string name = file.stem().string();
  std::string lang = cd->lang;
  if (auto dot = name.rfind('.'); dot != std::string::npos) {
    const std::string code = util::ascii_lower(name.substr(dot + 1));
    if (site.languages.contains(code)) {
      if (lang.empty()) lang = code;
      name.resize(dot);
    }
  }
  if (lang.empty()) lang = site.default_lang;
  auto code = site.languages.find(lang);
  place.lang = code != site.languages.end() ? code->second : lang;

  // Pages Hugo renders no page for.
  auto param = [&](const char* key) {
    for (const auto& [k, v] : front.params)
      if (util::ascii_lower(k) == key) return util::ascii_lower(v);
    return std::string();
  };
  for (const char* key : {"_build.render", "build.render"})
    if (const std::string r = param(key); r == "never" || r == "false") return place;
  if (name == "index" && param("headless") == "true") return place;
  if (name != "index" && name != "_index" && in_leaf_bundle(cd->abs, file)) return place;

  std::string prefix = site.base_path;
  prefix.pop_back();
  if (lang != site.default_lang || site.default_lang_in_subdir) prefix += "/" + lang;
  if (!front.url.empty()) {
    if (front.url.find("://") != std::string::npos) {
      place.url = front.url;
    } else {
      place.url = clean_path(site.base_path + front.url);
    }
    return place;
  }
  std::string dir = fs::path(rel).parent_path().generic_string();
  const bool lower = site.path_to_lower;
  std::string path;
  if (name == "_index" || (name == "index" && dir.empty())) {
    // A section's (or the home) list page.
    if (dir.empty()) {
      place.url = clean_path(prefix + "/");
      return place;
    }
    path = "/" + hugo_urlize(dir, lower);
    path += site.ugly_urls ? ".html" : "/";
    place.url = clean_path(prefix + path);
    return place;
  }
  if (name == "index") {
    // A leaf bundle is named by its folder.
    const auto slash = dir.rfind('/');
    name = slash == std::string::npos ? dir : dir.substr(slash + 1);
    dir = slash == std::string::npos ? std::string() : dir.substr(0, slash);
  }
  const std::string section = dir.substr(0, dir.find('/'));
  auto pattern = site.permalinks.find(util::ascii_lower(section));
  if (!section.empty() && pattern != site.permalinks.end()) {
    path =
        expand(pattern->second, date_of(front), section, dir, front.title, front.slug, name, lower);
  } else {
    path = hugo_urlize(dir + "/" + (front.slug.empty() ? name : front.slug), lower);
  }
  path = clean_path(path);
  if (site.ugly_urls) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    path += ".html";
  } else if (path.back() != '/') {
    path += '/';
  }
  place.url = clean_path(prefix + path);
  return place;
}

}  // namespace taxon::index
