// SPDX-License-Identifier: MIT
// A page's URL outside a Hugo site (or with --no-hugo): its path below the
// content folder, as Hugo places pages without a permalinks setting.
#include "index/permalink.h"

#include "util/text.h"

namespace taxon::index {

std::string permalink(const std::string& rel, const FrontMatter& front, const std::string& lang,
                      const std::string& default_lang) {
  std::string prefix;
  if (!lang.empty() && lang != default_lang) prefix.append("/").append(util::ascii_lower(lang));
  if (!front.url.empty()) {
    std::string u = front.url;
    if (u.front() != '/' && u.find("://") == std::string::npos) u.insert(u.begin(), '/');
    return u;
  }
  // Path below the content root: after the last "content/" segment, and
  // after a language folder ("content/en/...").
  std::string p = rel;
  if (auto pos = p.rfind("content/"); pos != std::string::npos && (pos == 0 || p[pos - 1] == '/'))
    p = p.substr(pos + 8);
  const std::string lang_lower = util::ascii_lower(lang);
  if (auto slash = p.find('/'); slash != std::string::npos && !lang.empty() &&
                                util::ascii_lower(p.substr(0, slash)) == lang_lower)
    p = p.substr(slash + 1);
  // Drop the extension and a language suffix ("name.fr.md").
  if (auto dot = p.rfind('.'); dot != std::string::npos && p.find('/', dot) == std::string::npos)
    p = p.substr(0, dot);
  if (auto dot = p.rfind('.'); dot != std::string::npos && p.find('/', dot) == std::string::npos &&
                               !lang.empty() && util::ascii_lower(p.substr(dot + 1)) == lang_lower)
    p = p.substr(0, dot);
  std::string dir, name = p;
  if (auto slash = p.rfind('/'); slash != std::string::npos) {
    dir = p.substr(0, slash + 1);
    name = p.substr(slash + 1);
  }
  if (name == "_index" || name == "index") {
    name.clear();
    if (!front.slug.empty() && !dir.empty()) {
      // A section's slug replaces its folder name.
      std::string d = dir.substr(0, dir.size() - 1);
      auto s = d.rfind('/');
      dir = (s == std::string::npos ? std::string() : d.substr(0, s + 1)) + front.slug + "/";
    }
  } else if (!front.slug.empty()) {
    name = front.slug;
  }
  std::string out = prefix + "/" + dir + name;
  if (out.back() != '/') out += '/';
  std::string clean;
  for (char c : out) {
    if (c == ' ')
      clean += '-';
    else
      clean += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  // Collapse "//".
  std::string final;
  for (char c : clean) {
    if (c == '/' && !final.empty() && final.back() == '/') continue;
    final += c;
  }
  return final;
}

}  // namespace taxon::index
