// SPDX-License-Identifier: MIT
// Searchers for the server's threads. A Searcher is not thread-safe, so each
// request borrows one (there are never more than requests served at once)
// and gives it back. Each Searcher remembers the index's files as they were
// when it opened them; one that opened other files than the watcher last
// saw moves to the latest commit before its next request. (Comparing with
// what the watcher saw, not counting its changes, also catches files that
// changed and changed back between two of its looks.)
#ifndef TAXON_SERVE_SEARCHER_POOL_H_
#define TAXON_SERVE_SEARCHER_POOL_H_

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "taxon/searcher.h"

namespace taxon::serve {

class SearcherPool {
 public:
  SearcherPool(std::filesystem::path db, OpenOptions options);

  /// A borrowed Searcher, given back when the lease ends.
  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Searcher> s, std::string opened_on)
        : pool_(&pool), searcher_(std::move(s)), opened_on_(std::move(opened_on)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Searcher& operator*() { return *searcher_; }
    Searcher* operator->() { return searcher_.get(); }
    /// Moves the Searcher to the latest commit (after an error that may
    /// come from the index changing under it). Throws taxon::Error.
    void reopen();
    /// The Searcher failed: it is closed instead of given back.
    void discard() { searcher_.reset(); }

   private:
    SearcherPool* pool_;
    std::unique_ptr<Searcher> searcher_;
    std::string opened_on_;  // index_fingerprint() before it opened
  };

  /// An idle Searcher on the latest commit, or a new one. Throws
  /// taxon::Error when the index cannot be opened.
  Lease acquire();

  /// The index's files as the watcher saw them last (index_fingerprint()).
  void files_seen(std::string fingerprint);

  /// How many times Searchers were opened or reopened, for /metrics.
  std::uint64_t opens() const { return opens_; }

 private:
  struct Idle {
    std::unique_ptr<Searcher> searcher;
    std::string opened_on;
  };
  void give_back(std::unique_ptr<Searcher> s, std::string opened_on);

  const std::filesystem::path db_;
  const OpenOptions options_;
  std::atomic<std::uint64_t> opens_{0};
  std::mutex mutex_;
  std::string seen_;  // guarded by mutex_
  std::vector<Idle> idle_;
};

/// A summary of the index's files (names, sizes, change times, of the
/// folder and of each folder in it): a commit or a rebuild changes it.
std::string index_fingerprint(const std::filesystem::path& db);

}  // namespace taxon::serve

#endif  // TAXON_SERVE_SEARCHER_POOL_H_
