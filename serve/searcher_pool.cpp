// SPDX-License-Identifier: MIT
#include "searcher_pool.h"

#include <sys/stat.h>

#include <algorithm>
#include <utility>

#include "taxon/error.h"

namespace fs = std::filesystem;

namespace taxon::serve {

SearcherPool::SearcherPool(fs::path db, OpenOptions options)
    : db_(std::move(db)), options_(options), seen_(index_fingerprint(db_)) {}

SearcherPool::Lease::~Lease() {
  if (searcher_) pool_->give_back(std::move(searcher_), std::move(opened_on_));
}

void SearcherPool::Lease::reopen() {
  opened_on_ = index_fingerprint(pool_->db_);
  ++pool_->opens_;
  searcher_->reopen();
}

void SearcherPool::files_seen(std::string fingerprint) {
  std::lock_guard lock(mutex_);
  seen_ = std::move(fingerprint);
}

SearcherPool::Lease SearcherPool::acquire() {
  std::unique_ptr<Searcher> s;
  std::string opened_on;
  bool current = false;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      s = std::move(idle_.back().searcher);
      opened_on = std::move(idle_.back().opened_on);
      idle_.pop_back();
      current = opened_on == seen_;
    }
  }
  if (s && current) return Lease(*this, std::move(s), std::move(opened_on));
  // Opened or moved on: what its files are now is what it will have read.
  opened_on = index_fingerprint(db_);
  ++opens_;
  if (!s) return Lease(*this, std::make_unique<Searcher>(db_, options_), std::move(opened_on));
  try {
    s->reopen();
  } catch (const Error&) {
    // The shard list may be gone or replaced: start again from the stub.
    s.reset();
    s = std::make_unique<Searcher>(db_, options_);
  }
  return Lease(*this, std::move(s), std::move(opened_on));
}

void SearcherPool::give_back(std::unique_ptr<Searcher> s, std::string opened_on) {
  std::lock_guard lock(mutex_);
  idle_.push_back({std::move(s), std::move(opened_on)});
}

namespace {

void add_stat(std::string& out, const fs::path& p) {
  struct stat st {};
  out += p.filename().string();
  if (::stat(p.c_str(), &st) != 0) {
    out += " -\n";
    return;
  }
  out += ' ' + std::to_string(st.st_ino) + ' ' + std::to_string(st.st_size) + ' ' +
         std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + '\n';
}

}  // namespace

std::string index_fingerprint(const fs::path& db) {
  std::string out;
  add_stat(out, db);
  std::error_code ec;
  if (!fs::is_directory(db, ec)) return out;
  // A commit rewrites files in a shard folder; a rebuild swaps the stub
  // and the shard folders. Two levels see both, without reading any file.
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(db, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(it->path());
  std::sort(entries.begin(), entries.end());
  for (const auto& e : entries) {
    add_stat(out, e);
    if (!fs::is_directory(fs::symlink_status(e, ec))) continue;
    std::vector<fs::path> inner;
    for (fs::directory_iterator it(e, ec), end; !ec && it != end; it.increment(ec))
      inner.push_back(it->path());
    std::sort(inner.begin(), inner.end());
    for (const auto& f : inner) add_stat(out, f);
  }
  return out;
}

}  // namespace taxon::serve
