// SPDX-License-Identifier: MIT
// How an index folder is laid out, and what taxon trusts in one.
//
//   taxon.index    marker: this folder is a taxon index (deleting is allowed)
//   taxon.lock     every writer holds a lock on it for as long as it writes
//   taxon.stub     "auto shard-0" ... one line a shard, in shard order
//   shard-0/ ...   each a Xapian glass database; "shard-N.G" after a rebuild
//
// An index folder may have been put there by anyone (taxon-query finds it
// by walking up from the current folder), so its stub may name only plain
// shard folders inside it, each a real folder of regular files; a stub the
// user names explicitly may also list other databases and remote shards
// (`remote HOST:PORT`), never a program to run.
#ifndef TAXON_FORMAT_LAYOUT_H_
#define TAXON_FORMAT_LAYOUT_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace taxon::format {

inline constexpr const char* kStubName = "taxon.stub";
inline constexpr const char* kMarkerName = "taxon.index";
inline constexpr const char* kLockName = "taxon.lock";

/// Metadata key of a shard's place in its index: "I/N" (shard I of N).
inline constexpr std::string_view kMetaShard = "taxon:shard";

/// Largest stub file read (a stub of 64 KiB lists thousands of shards).
inline constexpr std::size_t kMaxStubBytes = std::size_t{64} * 1024;

/// One line of a stub: a local database folder or a remote shard.
struct StubEntry {
  std::filesystem::path path;  ///< local: the folder (absolute, or relative to the stub's folder)
  std::string host;            ///< remote: host name or address; empty for a local shard
  unsigned port = 0;           ///< remote: TCP port
  int line = 0;                ///< 1-based line in the stub

  bool remote() const { return !host.empty(); }
};

/// "shard-N" or "shard-N.G": the only names an index folder's stub may list.
bool is_shard_name(std::string_view name);

/// The shards listed by `dir`/taxon.stub, in order; empty when there is no
/// stub. Only plain shard names are accepted, and `remote HOST:PORT` lines
/// when `allow_remote`; anything else throws Error(IndexCorrupt) naming the
/// stub's line.
std::vector<StubEntry> read_index_stub(const std::filesystem::path& dir, bool allow_remote = false);

/// The databases listed by a stub file the user named. `auto PATH` and
/// `glass PATH` lines (relative to the stub's folder) are local databases;
/// `remote HOST:PORT` lines (`remote tcp HOST:PORT` too) are remote shards,
/// accepted only when `allow_remote`. A `remote :PROGRAM` line, or any other
/// kind, throws Error(IndexCorrupt).
std::vector<StubEntry> read_user_stub(const std::filesystem::path& file, bool allow_remote);

/// Writes `dir`/taxon.stub listing `names` (atomically: a reader sees the old or the new).
void write_stub(const std::filesystem::path& dir, const std::vector<std::string>& names);

/// Writes the marker file that makes `dir` a taxon index folder (a new file: it must be missing).
void write_marker(const std::filesystem::path& dir);

/// Whether `dir` is a taxon index folder: it has the marker, or (an index
/// made before the marker existed) a stub of plain shard names only.
bool is_index_folder(const std::filesystem::path& dir);

/// What a shard folder holds.
enum class ShardState {
  Missing,      ///< nothing at that path
  Empty,        ///< a folder without a database: created, never committed (a run was killed)
  Ready,        ///< a glass database
  NotDatabase,  ///< anything else: a symbolic link, a file, other entries
};

/// Looks at `folder` without opening any file in it: a glass database is a
/// real folder holding only regular files, `iamglass` among them. A folder
/// holding only what Xapian writes while it creates a database, without
/// `iamglass`, is Empty. `why` says what is wrong for NotDatabase.
ShardState shard_state(const std::filesystem::path& folder, std::string* why = nullptr);

/// Removes what a killed run may have left in an Empty shard folder.
void clear_empty_shard(const std::filesystem::path& folder);

/// The shard a page lives in: fixed by its id, so every run puts it in the same place.
std::size_t shard_of(const std::string& page_id, std::size_t shards);

/// "I/N", the value of kMetaShard for shard `i` of `n`.
std::string shard_tag(std::size_t i, std::size_t n);

/// Reads "I/N" (decimal, I < N, 0 < N <= kMaxShardCount) into `i` and `n`;
/// false when `tag` is not one.
bool parse_shard_tag(std::string_view tag, std::size_t& i, std::size_t& n);

/// The stub line `remote HOST:PORT` for the address "HOST:PORT" (or
/// "[IPV6]:PORT"), checked to be one that read_user_stub() reads back as the
/// same host and port. Throws Error(InvalidArgument) saying what is wrong.
std::string remote_line(std::string_view address);

/// Reads a small regular file without blocking on a FIFO or device: throws
/// Error(IndexCorrupt) when `path` is not a regular file or is larger than
/// `max_bytes`, Error(Io) when it cannot be read. Missing: returns false.
bool read_small_file(const std::filesystem::path& path, std::size_t max_bytes, std::string& out);

/// The write lock of an index folder (`taxon.lock`, an flock), held by every
/// writer from before it reads the stub until it is done.
class IndexLock {
 public:
  IndexLock() = default;
  /// Takes the lock, waiting up to `wait_seconds`. Throws Error: IndexLocked
  /// when another writer holds it, Io when the folder is read-only.
  IndexLock(const std::filesystem::path& dir, double wait_seconds);
  ~IndexLock();
  IndexLock(IndexLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  IndexLock& operator=(IndexLock&& o) noexcept;
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace taxon::format

#endif  // TAXON_FORMAT_LAYOUT_H_
