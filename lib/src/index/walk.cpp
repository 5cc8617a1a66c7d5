// SPDX-License-Identifier: MIT
#include "index/walk.h"

#include <fnmatch.h>
#include <stdlib.h>  // NOLINT(modernize-deprecated-headers): POSIX realpath
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/file.h"

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

bool glob_match(const std::vector<std::string>& globs, const std::string& name,
                const std::string& rel) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return fnmatch(g.c_str(), name.c_str(), 0) == 0 ||
           (!rel.empty() && fnmatch(g.c_str(), rel.c_str(), 0) == 0);
  });
}

}  // namespace

std::string read_error(int err) {
  switch (err) {
    case ENOENT:
      return "file vanished before it could be read";
    case EACCES:
    case EPERM:
      return "permission denied";
    case EISDIR:
      return "is a directory";
    case ELOOP:
      return "symbolic link loop";
    default:
      return std::string("cannot read: ") + std::strerror(err);
  }
}

namespace {

// What a file that is not a regular file is, for the message that skips it.
std::string not_regular(mode_t mode) {
  const char* kind = S_ISFIFO(mode)   ? "a FIFO"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISSOCK(mode) ? "a socket"
                     : S_ISDIR(mode)  ? "a folder"
                                      : "of an unknown kind";
  return std::string("not a regular file (") + kind + "), skipped";
}

}  // namespace

// Reads a page into `bytes` (a regular file only: see util::read_regular_file);
// an empty result, else why it was not read.
std::string read_page(const std::string& path, std::uintmax_t max_size, std::string& bytes) {
  const util::FileRead r = util::read_regular_file(path, max_size, bytes);
  switch (r.status) {
    case util::FileRead::Status::Ok:
      return {};
    case util::FileRead::Status::Failed:
      return read_error(r.err);
    case util::FileRead::Status::NotRegular:
      return not_regular(r.mode);
    case util::FileRead::Status::TooBig:
      break;
  }
  return "file of " + std::to_string(r.size) + " bytes is over the size limit of " +
         std::to_string(max_size) + " (--max-file-size)";
}

namespace {

// Whether pattern segments [pi..] match path segments [si..]; "**" matches
// any number of segments, the others are fnmatch globs within a segment.
bool match_segments(const std::vector<std::string>& pattern, std::size_t pi,
                    const std::vector<std::string>& path, std::size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    for (std::size_t k = si; k <= path.size(); ++k)
      if (match_segments(pattern, pi + 1, path, k)) return true;
    return false;
  }
  return si < path.size() && fnmatch(pattern[pi].c_str(), path[si].c_str(), 0) == 0 &&
         match_segments(pattern, pi + 1, path, si + 1);
}

std::vector<std::string> split_path(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const std::size_t j = std::min(s.find('/', i), s.size());
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The largest ignore file read, and the most patterns kept of one.
constexpr std::uintmax_t kMaxIgnoreFile = std::uintmax_t{256} * 1024;
constexpr std::size_t kMaxIgnoreRules = 4096;

}  // namespace

std::vector<Walker::IgnoreRule> Walker::parse_ignore(const std::string& text) {
  std::vector<IgnoreRule> rules;
  std::size_t i = 0;
  while (i < text.size() && rules.size() < kMaxIgnoreRules) {
    std::size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    std::string line = text.substr(i, j - i);
    i = j + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces go, unless escaped.
    while (!line.empty() && line.back() == ' ' &&
           !(line.size() >= 2 && line[line.size() - 2] == '\\'))
      line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    IgnoreRule r;
    if (line[0] == '!') {
      r.negate = true;
      line.erase(0, 1);
    } else if (line.size() >= 2 && line[0] == '\\' && (line[1] == '!' || line[1] == '#')) {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      r.dir_only = true;
      while (!line.empty() && line.back() == '/') line.pop_back();
    }
    if (line.empty()) continue;
    // A slash anywhere but at the end ties the pattern to its file's folder.
    r.anchored = line.find('/') != std::string::npos;
    r.segments = split_path(line);
    if (r.segments.empty()) continue;
    rules.push_back(std::move(r));
  }
  return rules;
}

// Whether the file or folder at `rel` (relative to the root) is left out by
// the ignore files of the folders above it: the last matching pattern wins.
bool Walker::ignored(const std::string& rel, bool is_dir) const {
  bool out = false;
  for (const IgnoreFile& f : ignore_) {
    if (!f.base.empty() && rel.compare(0, f.base.size() + 1, f.base + "/") != 0) continue;
    const std::vector<std::string> path =
        split_path(f.base.empty() ? rel : rel.substr(f.base.size() + 1));
    if (path.empty()) continue;
    for (const IgnoreRule& r : f.rules) {
      if (r.dir_only && !is_dir) continue;
      const bool hit = r.anchored ? match_segments(r.segments, 0, path, 0)
                                  : fnmatch(r.segments[0].c_str(), path.back().c_str(), 0) == 0;
      if (hit) out = !r.negate;
    }
  }
  return out;
}

Walker::Walker(const IndexOptions& options, const std::vector<fs::path>& roots) : opts(options) {
  for (const auto& root : roots) {
    char* real = ::realpath(root.c_str(), nullptr);
    if (!real) continue;  // reported by walk()
    real_roots_.emplace_back(real);
    ::free(real);
  }
}

// False, with a warning, for a symbolic link whose target lies outside
// the indexed folders: a link to "/" would index the whole file system,
// /proc and all, and a link to a private file would make it searchable.
// Only the entry's own link is looked at: the folders above it were
// checked on the way down.
bool Walker::may_follow(const std::string& path, const DiagnosticFn& diag) const {
  if (opts.follow_outside) return true;
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) != 0 || !S_ISLNK(lst.st_mode)) return true;
  char* real = ::realpath(path.c_str(), nullptr);
  if (real) {
    const std::string target(real);
    ::free(real);
    for (const auto& root : real_roots_) {
      if (target == root || root == "/" ||
          (target.size() > root.size() && target.compare(0, root.size(), root) == 0 &&
           target[root.size()] == '/'))
        return true;
    }
  }
  diag({Diagnostic::Severity::Warning, path, 0,
        "symbolic link leads outside the indexed folders, skipped (--follow-outside follows "
        "it)"});
  return false;
}

void Walker::walk(const fs::path& root, std::vector<FileEntry>& files,
                  std::vector<std::string>& protect, const DiagnosticFn& diag,
                  std::size_t& skipped) {
  std::error_code ec;
  fs::path abs_root = fs::absolute(root, ec).lexically_normal();
  std::string abs_root_s = abs_root.string();
  while (abs_root_s.size() > 1 && abs_root_s.back() == '/') abs_root_s.pop_back();
  struct stat st {};
  if (::stat(abs_root_s.c_str(), &st) != 0) {
    const int err = errno;
    diag({Diagnostic::Severity::Error, root.string(), 0, read_error(err)});
    ++skipped;
    protect.push_back(abs_root_s);
    return;
  }
  if (S_ISREG(st.st_mode)) {
    add_file(abs_root_s, fs::path(abs_root_s).filename().string(), st, files);
    return;
  }
  std::set<std::pair<dev_t, ino_t>> seen;
  walk_dir(abs_root_s, "", st, seen, files, protect, diag, skipped);
}

void Walker::add_file(const std::string& abs, const std::string& rel, const struct stat& st,
                      std::vector<FileEntry>& files) {
  FileEntry f;
  f.abs = abs;
  f.rel = rel;
  f.size = static_cast<std::uint64_t>(st.st_size);
  f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  files.push_back(std::move(f));
}

void Walker::walk_dir(const std::string& dir, const std::string& rel, const struct stat& dst,
                      std::set<std::pair<dev_t, ino_t>>& seen, std::vector<FileEntry>& files,
                      std::vector<std::string>& protect, const DiagnosticFn& diag,
                      std::size_t& skipped) {
  if (!seen.insert({dst.st_dev, dst.st_ino}).second) {
    diag({Diagnostic::Severity::Warning, dir, 0,
          "symbolic link loop (folder already walked), skipped"});
    return;
  }
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    diag({Diagnostic::Severity::Error, dir, 0, read_error(ec.value())});
    ++skipped;
    protect.push_back(dir);
    return;
  }
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  // This folder's ignore files apply to everything below it, while it is walked.
  const std::size_t ignore_depth = ignore_.size();
  if (opts.honour_ignore_files) {
    for (const char* file : {".gitignore", ".ignore"}) {
      if (!std::binary_search(names.begin(), names.end(), std::string(file))) continue;
      std::string text;
      if (util::read_regular_file(dir + "/" + file, kMaxIgnoreFile, text).status !=
          util::FileRead::Status::Ok)
        continue;
      std::vector<IgnoreRule> rules = parse_ignore(text);
      if (!rules.empty()) ignore_.push_back({rel, std::move(rules)});
    }
  }
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.') continue;  // hidden
    std::string path = dir;
    path.append("/").append(name);
    std::string child_rel = rel;
    if (!child_rel.empty()) child_rel += '/';
    child_rel += name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      const int err = errno;
      struct stat lst {};
      bool dangling = err == ENOENT && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
      if (glob_match(opts.include, name, "")) {
        diag({Diagnostic::Severity::Error, path, 0,
              dangling ? "broken symbolic link" : read_error(err)});
        ++skipped;
      }
      continue;
    }
    if (!ignore_.empty() && ignored(child_rel, S_ISDIR(st.st_mode))) continue;
    if (S_ISDIR(st.st_mode)) {
      if (glob_match(opts.exclude, name, child_rel)) continue;
      if (!may_follow(path, diag)) continue;
      walk_dir(path, child_rel, st, seen, files, protect, diag, skipped);
    } else if (S_ISREG(st.st_mode)) {
      if (!glob_match(opts.include, name, "")) continue;
      if (glob_match(opts.exclude, name, child_rel)) continue;
      if (!may_follow(path, diag)) continue;
      add_file(path, child_rel, st, files);
    }
  }
  ignore_.resize(ignore_depth);
}

}  // namespace taxon::index
