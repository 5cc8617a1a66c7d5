// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iostream>

#include <nlohmann/json.hpp>

#include "options.h"
#include "taxon/error.h"
#include "taxon/printable.h"

namespace taxon::cli {
namespace {

std::string clock_text(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// Columns of the terminal on stderr (80 when it does not say).
std::size_t terminal_width() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// The progress line: percentage of files, counts, rate and an ETA from the
// rate of the last ten seconds (the whole run's average swings as small
// unchanged files and large new ones come in turn), cut to the terminal's
// width so it never wraps.
class ProgressLine {
 public:
  std::string text(const IndexProgress& p, std::size_t width) {
    samples_.emplace_back(p.elapsed, p.files_done);
    while (samples_.size() > 2 && p.elapsed - samples_[1].first >= kWindowSeconds)
      samples_.pop_front();
    const double span = p.elapsed - samples_.front().first;
    const double recent =
        span > 0 ? static_cast<double>(p.files_done - samples_.front().second) / span : 0;
    const double rate = recent > 0      ? recent
                        : p.elapsed > 0 ? static_cast<double>(p.files_done) / p.elapsed
                                        : 0;
    const std::size_t left = p.files_total > p.files_done ? p.files_total - p.files_done : 0;
    const int percent =
        p.files_total > 0 ? static_cast<int>(100 * p.files_done / p.files_total) : 0;
    std::string out = std::to_string(percent) + "% " + std::to_string(p.files_done) + "/" +
                      std::to_string(p.files_total) + " files";
    const double headings_rate = p.elapsed > 0 ? static_cast<double>(p.headings) / p.elapsed : 0;
    out += ", " + std::to_string(static_cast<long>(headings_rate)) + " headings/s";
    out += ", " + clock_text(p.elapsed);
    if (left > 0 && rate > 0) out += ", ETA " + clock_text(static_cast<double>(left) / rate);
    if (width > 1 && out.size() > width - 1) out.resize(width - 1);
    return out;
  }

 private:
  static constexpr double kWindowSeconds = 10;
  std::deque<std::pair<double, std::size_t>> samples_;  // elapsed, files done
};

// Writes the stub to `file` through a new file renamed over it, so a reader
// sees the old stub or the new one. An empty string, or why it failed.
std::string write_file(const std::filesystem::path& file, const std::string& text) {
  const std::string tmp = file.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int err = errno;
  ok = fd >= 0 && ::fsync(fd) == 0 && ok;
  if (fd >= 0) ::close(fd);
  if (ok && ::rename(tmp.c_str(), file.c_str()) != 0) ok = false, err = errno;
  if (ok) return {};
  ::unlink(tmp.c_str());
  return std::strerror(err);
}

int write_stub(const IndexCliOptions& o) {
  std::string text;
  try {
    text = remote_stub_text(o.stub_addresses);
  } catch (const Error& e) {
    std::cerr << "taxon-index: --stub: " << printable(e.what()) << "\n";
    return kExitUsage;
  }
  if (o.stub_output.empty()) {
    std::cout << text << std::flush;
    return std::cout ? kExitOk : kExitFatal;
  }
  if (std::string why = write_file(o.stub_output, text); !why.empty()) {
    std::cerr << "taxon-index: error: " << printable(o.stub_output.string())
              << ": cannot write the stub: " << why << "\n";
    return kExitFatal;
  }
  return kExitOk;
}

// A folder that is not there (a typo) is a usage error, said before anything
// is created.
bool roots_exist(const std::vector<std::filesystem::path>& roots) {
  for (const auto& root : roots) {
    std::error_code ec;
    if (!std::filesystem::exists(root, ec)) {
      std::cerr << "taxon-index: error: " << printable(root.string())
                << ": no such file or folder\n";
      return false;
    }
  }
  return true;
}

// The settings that shape pages and differ between the index (`st`) and
// this run (`now`): "--lang en -> fr".
std::vector<std::string> changed_settings(const IndexOptions& st, const IndexOptions& now) {
  std::vector<std::string> changed;
  auto list = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out.empty() ? std::string("(none)") : out;
  };
  auto yes_no = [](bool b) { return std::string(b ? "on" : "off"); };
  auto note = [&](const char* name, const std::string& before, const std::string& after) {
    if (before != after) changed.push_back(std::string(name) + " " + before + " -> " + after);
  };
  note("--include", list(st.include), list(now.include));
  note("--exclude", list(st.exclude), list(now.exclude));
  note("ignore files", yes_no(st.honour_ignore_files), yes_no(now.honour_ignore_files));
  note("Hugo config", yes_no(st.hugo_config), yes_no(now.hugo_config));
  note("--drafts", yes_no(st.drafts), yes_no(now.drafts));
  note("--lang", st.default_lang, now.default_lang);
  note("--map-shortcode", list(st.parse.map_shortcodes), list(now.parse.map_shortcodes));
  note("--max-file-size", std::to_string(st.max_file_size), std::to_string(now.max_file_size));
  const std::string syn_before = st.synonyms.string();
  const std::string syn_now =
      now.synonyms.empty() ? std::string() : std::filesystem::absolute(now.synonyms).string();
  note("--synonyms", syn_before.empty() ? "(none)" : syn_before,
       syn_now.empty() ? "(none)" : syn_now);
  return changed;
}

// --json: the run's counts as one JSON document.
void print_json_summary(const IndexCliOptions& o, const IndexSummary& s,
                        const std::vector<std::string>& changed) {
  nlohmann::json j = {{"added", s.added},         {"updated", s.updated}, {"removed", s.removed},
                      {"unchanged", s.unchanged}, {"skipped", s.skipped}, {"drafts", s.drafts},
                      {"headings", s.headings},   {"seconds", s.seconds}, {"wrote", s.wrote},
                      {"db", o.index.db.string()}};
  j["settings_changed"] = changed;
  j["pages_read_again"] = !s.settings_changed.empty();
  if (o.index.shard_count > 0) {
    j["shard"] = std::to_string(o.index.shard_index) + "/" + std::to_string(o.index.shard_count);
    j["other_shards"] = s.other_shards;
  }
  std::cout << j.dump() << "\n";
}

// The run's counts in a line.
void print_summary(const IndexCliOptions& o, const IndexSummary& s) {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", s.seconds);
  if (!s.settings_changed.empty())
    std::cout << "settings that shape pages changed: every page was read again\n";
  if (!s.wrote) {
    std::cout << "index is up to date: " << s.unchanged << " files unchanged";
    if (s.skipped) std::cout << ", " << s.skipped << " skipped";
    if (o.index.shard_count > 0) std::cout << ", " << s.other_shards << " for other shards";
    std::cout << " (" << secs << " s)\n";
  } else {
    std::cout << s.added << " added, " << s.updated << " updated, " << s.removed << " removed, "
              << s.unchanged << " unchanged, " << s.skipped << " skipped";
    if (s.drafts) std::cout << ", " << s.drafts << " drafts left out";
    if (o.index.shard_count > 0) std::cout << ", " << s.other_shards << " for other shards";
    std::cout << "; " << s.headings << " headings written in " << secs << " s\n";
  }
}

}  // namespace

int run(const IndexCliOptions& o) {
  if (!o.stub_addresses.empty()) return write_stub(o);
  const bool tty = isatty(STDERR_FILENO) && !o.quiet;
  bool progress_shown = false;
  auto clear_progress = [&] {
    if (progress_shown) std::cerr << "\r\033[K" << std::flush;
    progress_shown = false;
  };
  Indexer::ProgressFn on_progress;
  ProgressLine line;
  if (tty) {
    on_progress = [&](const IndexProgress& p) {
      std::cerr << "\r\033[K" << line.text(p, terminal_width()) << std::flush;
      progress_shown = true;
    };
  }
  auto on_diag = [&](const Diagnostic& d) {
    clear_progress();
    std::cerr << d.to_string() << "\n";
  };

  if (!roots_exist(o.roots)) return kExitUsage;
  // Settings that differ from those the index was written with, said once.
  const std::vector<std::string> changed =
      o.stored ? changed_settings(*o.stored, o.index) : std::vector<std::string>{};
  if (!o.quiet && !o.json)
    for (const auto& c : changed)
      std::cerr << "taxon-index: setting changed since the last run: " << printable(c) << "\n";
  bool opened = false;
  try {
    Indexer indexer(o.index);
    opened = true;
    IndexSummary s = indexer.index(o.roots, on_progress, on_diag);
    clear_progress();
    if (o.json)
      print_json_summary(o, s, changed);
    else if (!o.quiet)
      print_summary(o, s);
    return s.skipped > 0 ? kExitSkipped : kExitOk;
  } catch (const Error& e) {
    clear_progress();
    // Messages carry paths, which may hold control characters.
    std::cerr << "taxon-index: error: " << printable(e.what()) << "\n";
    if (!e.hint().empty()) std::cerr << "taxon-index: hint: " << printable(e.hint()) << "\n";
    if (e.code() == ErrorCode::IndexLocked) return kExitLocked;
    // Refused on opening: the options name another shard than the folder holds.
    if (!opened && e.code() == ErrorCode::InvalidArgument) return kExitUsage;
    return kExitFatal;
  }
}

}  // namespace taxon::cli
