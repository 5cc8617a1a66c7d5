// SPDX-License-Identifier: MIT
// One thread a shard. Each page's deletions, documents, spelling counts and
// file state go into the same shard commit, so a crash leaves every page
// either fully old or fully new, and the next run resumes from there.
#include "index/workers.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "index/compaction.h"
#include "index/shard.h"
#include "xapian_error.h"

namespace taxon::index {
namespace {

// What one shard's thread did.
struct ShardCounts {
  std::size_t added = 0, updated = 0, removed = 0, unchanged = 0, skipped = 0, drafts = 0,
              headings = 0;
  bool wrote = false;
};

class ShardWriters {
 public:
  ShardWriters(IndexFolder& folder, RunPlan& plan, const PagePreparer& preparer,
               const IndexOptions& opts, RunReporter& reporter, std::size_t done)
      : folder_(folder),
        plan_(plan),
        preparer_(preparer),
        opts_(opts),
        reporter_(reporter),
        counts_(folder.shards.size()),
        errors_(folder.shards.size()),
        done_(done),
        running_(folder.shards.size()) {}

  void run();
  void add_to(IndexSummary& sum) const;

 private:
  void write_shard(std::size_t s);
  void write_result(Shard& sh, Result& r, Analyzer& an, ShardCounts& c);
  static void remove_gone(Shard& sh, const std::vector<std::string>& gone, Analyzer& an,
                          ShardCounts& c);
  void report_until_done();

  IndexFolder& folder_;
  RunPlan& plan_;
  const PagePreparer& preparer_;
  const IndexOptions& opts_;
  RunReporter& reporter_;
  std::vector<ShardCounts> counts_;
  std::vector<std::exception_ptr> errors_;
  std::atomic<std::size_t> done_, headings_{0}, running_;
  std::mutex wake_mu_;
  std::condition_variable wake_;
};

void ShardWriters::run() {
  std::vector<std::thread> threads;
  for (std::size_t s = 0; s < folder_.shards.size(); ++s)
    threads.emplace_back([this, s] { write_shard(s); });
  report_until_done();
  for (auto& t : threads) t.join();
  for (auto& e : errors_)
    if (e) std::rethrow_exception(e);
}

// The thread of shard `s`: its pages, its gone pages, then its last commit
// and compaction.
void ShardWriters::write_shard(std::size_t s) {
  Shard& sh = folder_.shards[s];
  ShardCounts& c = counts_[s];
  try {
    xapian_try(sh.path, [&] {
      Analyzer an(opts_.default_lang);
      for (auto& task : plan_.tasks[s]) {
        Result r = preparer_.prepare(std::move(task), an, sh.next_version);
        for (const auto& d : r.diagnostics) reporter_.diagnostic(d);
        write_result(sh, r, an, c);
        ++done_;
      }
      remove_gone(sh, plan_.gone[s], an, c);
      finish_shard(sh, opts_.compact, folder_.db_path);
    });
  } catch (...) {
    errors_[s] = std::current_exception();
  }
  std::lock_guard guard(wake_mu_);
  --running_;
  wake_.notify_one();
}

void ShardWriters::write_result(Shard& sh, Result& r, Analyzer& an, ShardCounts& c) {
  const bool had_docs = r.task.old.has_value() && r.task.old->headings > 0;
  switch (r.kind) {
    case Result::Kind::Failed:
      ++c.skipped;
      break;
    case Result::Kind::Touched:
      touch_page(sh, r.page.id, r.page.data);
      ++c.unchanged;
      c.wrote = true;
      break;
    case Result::Kind::Draft:
      if (had_docs) {
        remove_docs(sh, r.page.id, an);
        ++c.removed;
      }
      r.page.data.headings = 0;
      set_page(sh, r.page.id, r.page.data);
      ++c.drafts;
      c.wrote = true;
      break;
    case Result::Kind::Ready:
      write_page(sh, r.page, had_docs, an);
      if (had_docs)
        ++c.updated;
      else
        ++c.added;
      c.headings += r.page.docs.size();
      headings_ += r.page.docs.size();
      c.wrote = true;
      if (sh.pending >= opts_.commit_every) commit_shard(sh);
      break;
  }
}

void ShardWriters::remove_gone(Shard& sh, const std::vector<std::string>& gone, Analyzer& an,
                               ShardCounts& c) {
  for (const auto& id : gone) {
    if (sh.pages[id].headings > 0) ++c.removed;
    forget_page(sh, id, an);
    c.wrote = true;
  }
}

// Progress about ten times a second, until every shard's thread is done.
void ShardWriters::report_until_done() {
  std::unique_lock guard(wake_mu_);
  while (running_ > 0) {
    wake_.wait_for(guard, std::chrono::milliseconds(100));
    guard.unlock();
    reporter_.progress(done_.load(), plan_.files_total, headings_.load());
    guard.lock();
  }
}

void ShardWriters::add_to(IndexSummary& sum) const {
  for (const auto& c : counts_) {
    sum.added += c.added;
    sum.updated += c.updated;
    sum.removed += c.removed;
    sum.unchanged += c.unchanged;
    sum.skipped += c.skipped;
    sum.drafts += c.drafts;
    sum.headings += c.headings;
    sum.wrote = sum.wrote || c.wrote;
  }
}

}  // namespace

void write_shards(IndexFolder& folder, RunPlan& plan, const PagePreparer& preparer,
                  const IndexOptions& opts, RunReporter& reporter, IndexSummary& sum) {
  ShardWriters writers(folder, plan, preparer, opts, reporter, sum.unchanged);
  writers.run();
  writers.add_to(sum);
}

}  // namespace taxon::index
