// SPDX-License-Identifier: MIT
// Opening an index folder for writing, one named step at a time: the
// folder and its lock, the stub and what it may list, stale shard folders,
// which shards this writer writes (a new generation for a rebuild), and
// each shard checked against the stub and read into memory.
#include "index/index_folder.h"

#include <algorithm>
#include <thread>

#include <xapian.h>

#include "format/schema.h"
#include "taxon/error.h"
#include "taxon/version.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon::index {
namespace {

const char* const kRebuildHint = "rebuild it with: taxon-index --rebuild";

std::string wanted_tag(const IndexOptions& opts) {
  return format::shard_tag(opts.shard_index, opts.shard_count);
}

// --shard names one that exists.
void check_shard_request(const IndexOptions& opts) {
  if (opts.shard_count > 0 &&
      (opts.shard_count > kMaxShardCount || opts.shard_index >= opts.shard_count))
    throw Error(ErrorCode::InvalidArgument,
                "shard " + wanted_tag(opts) +
                    " does not exist: shards are numbered from 0 to N-1, and N is at most " +
                    std::to_string(kMaxShardCount));
}

// The index folder exists as a folder.
void make_folder(const fs::path& dir, const std::string& db_path) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw Error(ErrorCode::Io, db_path + ": not a folder (an index is a folder)", {}, db_path);
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorCode::Io, db_path + ": cannot create index folder: " + ec.message(), {},
                db_path);
}

// The shards the stub lists; none when there is no stub.
std::vector<format::StubEntry> read_stub(const IndexOptions& opts) {
  try {
    return format::read_index_stub(opts.db);
  } catch (const Error& e) {
    // A deliberate recovery: a damaged stub is what --rebuild repairs.
    if (!opts.rebuild || e.code() != ErrorCode::IndexCorrupt) throw;
  }
  return {};
}

// Whether `dir` holds nothing but the lock file this writer just made.
bool only_lock_file(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() != format::kLockName) return false;
  return true;
}

// What the folder holds may be written as asked: a rebuild deletes only in
// a taxon index folder, a database made otherwise is not taken for one,
// and a whole index is not written as one shard.
void check_folder(const IndexOptions& opts, const std::string& db_path,
                  const std::vector<format::StubEntry>& listed) {
  std::error_code ec;
  const bool ours = format::is_index_folder(opts.db);
  if (opts.rebuild && !ours && !only_lock_file(opts.db))
    throw Error(ErrorCode::Io,
                db_path + ": not a taxon index folder (no " + format::kMarkerName +
                    "): --rebuild deletes nothing here",
                "pass the index folder, or a new or empty one", db_path);
  if (listed.empty() && fs::exists(opts.db / "iamglass", ec))
    throw Error(ErrorCode::IndexVersion,
                db_path +
                    ": one database, not an index folder of shards (an older layout, or "
                    "a database made by hand)",
                "move it away and index again into a new folder", db_path);
  if (opts.shard_count > 0 && !opts.rebuild && listed.size() > 1)
    throw Error(ErrorCode::InvalidArgument,
                db_path + ": holds an index of " + std::to_string(listed.size()) +
                    " shards, not shard " + wanted_tag(opts) + " alone",
                "--shard writes into a folder of its own: pass another --db, or --rebuild to "
                "make this folder shard " +
                    wanted_tag(opts) + " only",
                db_path);
}

// A folder built one shard at a time may be written again only as the
// same shard of the same count, and a whole index not as one shard:
// otherwise pages would be placed by another hash range than the one
// already in it, and the readers of the stub would refuse the mix.
void check_same_shard(const IndexOptions& opts, const std::string& db_path, const std::string& have,
                      std::size_t listed) {
  std::size_t hi = 0, hn = 0;
  if (listed != 1 || !format::parse_shard_tag(have, hi, hn)) return;
  if (opts.shard_count > 0)
    throw Error(
        ErrorCode::InvalidArgument,
        db_path + ": holds shard " + have + ", not shard " + wanted_tag(opts),
        "pass --shard " + have + " to update it, or --rebuild to make it shard " + wanted_tag(opts),
        db_path);
  if (hn > 1)
    throw Error(ErrorCode::InvalidArgument,
                db_path + ": holds only shard " + have + " of an index built one shard at a time",
                "pass --shard " + have + " to update it", db_path);
}

// One more than the largest generation among the shard folders present
// ("shard-3.2" is generation 2, "shard-3" generation 0).
std::size_t next_generation(const fs::path& dir) {
  std::size_t g = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!format::is_shard_name(name)) continue;
    const auto dot = name.find('.');
    if (dot != std::string::npos) g = std::max<std::size_t>(g, std::stoul(name.substr(dot + 1)));
  }
  return g + 1;
}

// Removes shard folders that `keep` does not list (an interrupted
// rebuild's, an old generation's) and compaction copies left by a crash.
// Only in a folder with the marker, only folders named as taxon names
// shards, and only when they hold a database or a killed run's leftovers.
void remove_stale(const fs::path& dir, const std::vector<std::string>& keep) {
  if (!format::is_index_folder(dir)) return;
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    auto ends = [&name](std::string_view tail) {
      return name.size() > tail.size() &&
             name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
    };
    const bool copy = ends(".compact") || ends(".merge");
    const std::string base = copy ? name.substr(0, name.rfind('.')) : name;
    if (!format::is_shard_name(base)) continue;
    if (!copy && std::find(keep.begin(), keep.end(), name) != keep.end()) continue;
    const auto state = format::shard_state(it->path());
    if (state == format::ShardState::Ready || state == format::ShardState::Empty)
      doomed.push_back(it->path());
  }
  for (const auto& p : doomed) fs::remove_all(p, ec);
}

}  // namespace

IndexFolder::IndexFolder(const IndexOptions& opts) : dir(opts.db), db_path(opts.db.string()) {
  check_shard_request(opts);
  make_folder(dir, db_path);
  lock = format::IndexLock(dir, opts.wait_seconds);
  const std::vector<format::StubEntry> listed = read_stub(opts);
  check_folder(opts, db_path, listed);
  std::error_code ec;
  if (!fs::is_regular_file(dir / format::kMarkerName, ec)) format::write_marker(dir);
  std::vector<std::string> listed_names;
  listed_names.reserve(listed.size());
  for (const auto& e : listed) listed_names.push_back(e.path.filename().string());
  remove_stale(dir, listed_names);

  const bool create = listed.empty() || opts.rebuild;
  choose_shards(opts, listed_names, create);
  open_shards(create);
  xapian_try(db_path, [&] {
    for (std::size_t i = 0; i < shards.size(); ++i) {
      check_shard(i, opts);
      load_shard(shards[i], db_path);
    }
  });
  if (create && listed.empty()) format::write_stub(dir, shard_names);
  publish_pending = create && !listed.empty();
}

// Which shards this writer writes: those listed, or new ones (one a job,
// or the one asked for; a new generation when they replace listed ones).
void IndexFolder::choose_shards(const IndexOptions& opts, const std::vector<std::string>& listed,
                                bool create) {
  const bool one = opts.shard_count > 0;
  std::size_t n = listed.size();
  if (one) {
    total = opts.shard_count;
    first = opts.shard_index;
  }
  if (create) {
    n = one ? 1
            : std::clamp<std::size_t>(opts.jobs ? opts.jobs : std::thread::hardware_concurrency(),
                                      1, 64);
    const std::string suffix = listed.empty() ? "" : "." + std::to_string(next_generation(dir));
    for (std::size_t i = 0; i < n; ++i)
      shard_names.push_back("shard-" + std::to_string(first + i) + suffix);
  } else {
    shard_names = listed;
  }
  if (!one) total = n;
  shards.resize(n);
  for (std::size_t i = 0; i < n; ++i) shards[i].path = (dir / shard_names[i]).string();
}

// Opens each shard's writer, after looking at its folder without opening
// a file in it.
void IndexFolder::open_shards(bool create) {
  for (Shard& sh : shards) {
    std::string why;
    switch (format::shard_state(sh.path, &why)) {
      case format::ShardState::Missing:
        if (!create)
          throw Error(ErrorCode::IndexCorrupt,
                      sh.path + ": shard listed in " + format::kStubName + " is missing",
                      kRebuildHint, db_path);
        break;
      case format::ShardState::Empty:
        // A run killed while it created the index: nothing was committed here.
        format::clear_empty_shard(sh.path);
        break;
      case format::ShardState::Ready:
        break;
      case format::ShardState::NotDatabase:
        throw Error(ErrorCode::IndexCorrupt, sh.path + ": not a shard: " + why, kRebuildHint,
                    db_path);
    }
    sh.db = xapian_try(sh.path, [&] {
      return Xapian::WritableDatabase(
          sh.path, (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) | kShardFlags);
    });
  }
}

// A shard is one of taxon's, of this schema version, at its place in the
// stub; a new one is stamped with both.
void IndexFolder::check_shard(std::size_t i, const IndexOptions& opts) {
  Shard& sh = shards[i];
  const std::string v = sh.db.get_metadata(std::string(schema::kMetaSchema));
  const std::string tag = format::shard_tag(first + i, total);
  if (v.empty()) {
    if (sh.db.get_doccount() > 0)
      throw Error(ErrorCode::IndexVersion, sh.path + ": not a taxon index (no schema version)",
                  kRebuildHint, db_path);
    sh.db.set_metadata(std::string(schema::kMetaSchema), std::to_string(kSchemaVersion));
    sh.db.set_metadata(std::string(format::kMetaShard), tag);
    sh.db.commit();
  } else if (v != std::to_string(kSchemaVersion)) {
    throw Error(ErrorCode::IndexVersion,
                sh.path + ": index has schema version " + v + ", this taxon reads version " +
                    std::to_string(kSchemaVersion),
                kRebuildHint, db_path);
  } else if (const std::string have = sh.db.get_metadata(std::string(format::kMetaShard));
             have != tag) {
    check_same_shard(opts, db_path, have, shards.size());
    throw Error(ErrorCode::IndexCorrupt,
                db_path + "/" + format::kStubName + ": line " + std::to_string(i + 1) +
                    " lists shard " + (have.empty() ? std::string("?") : have) +
                    ", expected shard " + tag + " (the stub was edited?)",
                kRebuildHint, db_path);
  }
}

Shard* IndexFolder::shard_for(const std::string& id) {
  const std::size_t s = format::shard_of(id, total);
  return s >= first && s - first < shards.size() ? &shards[s - first] : nullptr;
}

void IndexFolder::publish() {
  if (!publish_pending) return;
  format::write_stub(dir, shard_names);
  publish_pending = false;
  remove_stale(dir, shard_names);
}

}  // namespace taxon::index
