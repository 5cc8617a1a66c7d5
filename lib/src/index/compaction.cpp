// SPDX-License-Identifier: MIT
// Merging and compacting a shard after a run. Xapian's writer leaves its
// B-tree blocks part-filled and a shard keeps replaced pages' documents
// hidden (index/merge.h); both are paid for by rewriting the shard beside
// itself and swapping the copy in, so readers and a waiting writer always
// find a whole shard at its path.
#include "index/compaction.h"

#include <fcntl.h>
#include <stdio.h>  // NOLINT(modernize-deprecated-headers): renameat2 is glibc-only

#include <filesystem>

#include <xapian.h>

#include "index/merge.h"

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

bool wants_compaction(const Shard& sh, IndexOptions::Compact compact) {
  switch (compact) {
    case IndexOptions::Compact::Never:
      return false;
    case IndexOptions::Compact::Always:
      return true;
    case IndexOptions::Compact::Auto:
      break;
  }
  return sh.churn > 0 && sh.churn * 4 >= sh.db.get_doccount();
}

// Writes a compact copy of the committed shard beside it (first merged,
// when it holds hidden documents worth dropping), swaps the two
// folders in one atomic rename (a reader or a waiting writer opens either
// the old or the new shard, never a missing one), takes the new copy's
// write lock before letting go of the old one's, then removes the old one.
// Where the file system cannot swap folders, the shard stays as it is.
void compact(Shard& sh, bool merge, const std::string& db_path) {
  const std::string tmp = sh.path + ".compact", merged = sh.path + ".merge";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  try {
    if (merge) {
      write_merged(sh.db, sh.hidden, merged);
      Xapian::Database(merged).compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
      fs::remove_all(merged, ec);
    } else {
      sh.db.compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
    }
  } catch (const Xapian::Error&) {
    // Cleanup only, then the error goes on to the shard's thread, which
    // maps it (xapian_try): the shard is committed and intact, and a
    // half-written copy (the disk filled up) must not stay behind.
    fs::remove_all(tmp, ec);
    fs::remove_all(merged, ec);
    throw;
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, sh.path.c_str(), RENAME_EXCHANGE) != 0) {
    fs::remove_all(tmp, ec);
    return;
  }
  Xapian::WritableDatabase fresh;
  try {
    fresh = Xapian::WritableDatabase(sh.path, Xapian::DB_OPEN | kShardFlags);
  } catch (const Xapian::DatabaseLockError&) {
    // A deliberate recovery, not an error: another writer opened the new
    // copy first, everything is committed, and this Indexer gives the shard
    // up (later writes to it fail).
  }
  sh.db.close();
  sh.db = std::move(fresh);
  fs::remove_all(tmp, ec);
  if (merge) load_runs(sh, db_path);
}

}  // namespace

void finish_shard(Shard& sh, IndexOptions::Compact compact_when, const std::string& db_path) {
  if (sh.dirty) commit_shard(sh);
  const bool merge =
      compact_when != IndexOptions::Compact::Never && wants_merge(sh.hidden, sh.db.get_doccount());
  if (merge || wants_compaction(sh, compact_when)) compact(sh, merge, db_path);
  sh.churn = 0;
}

}  // namespace taxon::index
