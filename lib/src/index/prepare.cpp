// SPDX-License-Identifier: MIT
// Preparing one page on a shard's thread: read, hash, parse, place, build.
// Nothing here writes to the index; the shard's thread writes the result.
#include "index/prepare.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <utility>

#include <unicode/locid.h>

#include "format/schema.h"
#include "index/permalink.h"
#include "index/test_hooks.h"
#include "index/walk.h"
#include "util/file.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

// A language code ICU knows ("fr", "pt-BR"), so that a two-letter section
// folder ("content/js/") is not taken for a language.
bool is_language_code(const std::string& code) {
  if (code.size() != 2 && !(code.size() == 5 && (code[2] == '-' || code[2] == '_'))) return false;
  if (!std::all_of(code.begin(), code.begin() + 2, [](char c) { return c >= 'a' && c <= 'z'; }))
    return false;
  return *icu::Locale(code.substr(0, 2).c_str()).getISO3Language() != '\0';
}

// Language from the path: "name.fr.md" or ".../content/fr/...".
std::string lang_from_path(const std::string& path) {
  fs::path p(path);
  std::string stem = p.stem().string();
  if (auto dot = stem.rfind('.'); dot != std::string::npos) {
    std::string code = stem.substr(dot + 1);
    if (is_language_code(code)) return code;
  }
  std::string s = p.generic_string();
  s.insert(s.begin(), '/');
  if (auto pos = s.rfind("/content/"); pos != std::string::npos) {
    const std::size_t start = pos + 9;
    if (auto slash = s.find('/', start); slash != std::string::npos) {
      std::string seg = s.substr(start, slash - start);
      if (is_language_code(seg)) return seg;
    }
  }
  return {};
}

Result failed(Result& r, int line, std::string msg) {
  r.kind = Result::Kind::Failed;
  r.diagnostics.push_back({Diagnostic::Severity::Error, r.task.file.abs, line, std::move(msg)});
  return std::move(r);
}

// Same bytes as the stored version: the stored record with the new file state.
Result touched(Result& r) {
  const FileEntry& f = r.task.file;
  r.kind = Result::Kind::Touched;
  r.page.id = schema::page_id(f.abs);
  r.page.data = *r.task.old;
  r.page.data.mtime_ns = f.mtime_ns;
  r.page.data.size = f.size;
  return std::move(r);
}

}  // namespace

Result PagePreparer::prepare(Task task, Analyzer& an, std::uint64_t version) const {
  const std::string path = task.file.abs;
  try {
    return prepare_or_throw(std::move(task), an, version);
  } catch (const std::exception& e) {
    Result r;
    r.kind = Result::Kind::Failed;
    r.diagnostics.push_back({Diagnostic::Severity::Error, path, 0, e.what()});
    return r;
  }
}

Result PagePreparer::prepare_or_throw(Task task, Analyzer& an, std::uint64_t version) const {
  Result r;
  r.task = std::move(task);
  const FileEntry& f = r.task.file;
  if (f.size > opts_.max_file_size)
    return failed(r, 0,
                  "file of " + std::to_string(f.size) + " bytes is over the size limit of " +
                      std::to_string(opts_.max_file_size) + " (--max-file-size)");
  before_read(f.abs);
  std::string bytes;
  if (std::string why = read_page(f.abs, opts_.max_file_size, bytes); !why.empty())
    return failed(r, 0, std::move(why));
  std::string hash = util::hex64(util::fnv1a64(bytes)) + util::hex64(bytes.size());
  if (r.task.old && r.task.old->hash == hash && !r.task.force) return touched(r);

  const ParseOptions* parse_options = &opts_.parse;
  const HugoSite* site = sites_.site_of(f.abs, &parse_options);
  ParseResult parsed = parse_page(bytes, f.abs, *parse_options);
  r.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.ok) {
    r.kind = Result::Kind::Failed;
    return r;
  }
  const Page& page = parsed.page;
  HugoPlace place;
  if (site) place = hugo_place(*site, f.abs, page.front);
  std::string lang = page.front.lang;
  if (lang.empty()) lang = site ? place.lang : lang_from_path(f.abs);
  if (lang.empty()) lang = opts_.default_lang;

  schema::PageData data;
  data.path = f.abs;
  data.mtime_ns = f.mtime_ns;
  data.size = f.size;
  data.hash = std::move(hash);
  data.title = page.front.title;
  data.lang = lang;
  data.categories = page.front.categories;
  data.tags = page.front.tags;
  data.url = site ? place.url : permalink(f.rel, page.front, lang, opts_.default_lang);
  const std::string id = schema::page_id(f.abs);
  if (page.front.draft && !opts_.drafts) {
    r.kind = Result::Kind::Draft;
    r.page.id = id;
    r.page.data = std::move(data);
    return r;
  }
  data.version = version;
  r.page = format::build_documents(page, id, lang, version, an);
  r.page.data = std::move(data);
  r.kind = Result::Kind::Ready;
  return r;
}

}  // namespace taxon::index
