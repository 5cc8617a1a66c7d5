// SPDX-License-Identifier: MIT
#include "xapian_error.h"

#include <cerrno>
#include <cstring>

namespace taxon {

Error from_xapian(const Xapian::Error& e, const std::string& path) {
  // Xapian::Error has no virtual functions: tell the classes apart by name.
  const std::string type = e.get_type();
  // Xapian keeps the errno of a failed system call apart from its message:
  // "Error writing block" says little without "No space left on device".
  std::string msg = e.get_msg();
  if (const char* sys = e.get_error_string(); sys && *sys && msg.find(sys) == std::string::npos)
    msg += std::string(" (") + sys + ")";
  const std::string where = path.empty() ? std::string() : path + ": ";
  // Xapian reports a lock file it may not create as a lock held by another
  // writer; its message names the cause.
  if (type == "DatabaseLockError" && (msg.find(std::strerror(EACCES)) != std::string::npos ||
                                      msg.find(std::strerror(EROFS)) != std::string::npos)) {
    return Error(ErrorCode::Io, where + "index is read-only: " + msg,
                 "taxon-index needs write access to the index folder", path);
  }
  if (type == "DatabaseLockError") {
    return Error(ErrorCode::IndexLocked, where + "index is locked by another taxon-index",
                 "wait for it to finish, or pass --wait SECONDS", path);
  }
  if (type == "DatabaseVersionError") {
    return Error(ErrorCode::IndexVersion, where + "index format not supported: " + msg,
                 "rebuild it with: taxon-index --rebuild", path);
  }
  if (type == "DatabaseCorruptError") {
    return Error(ErrorCode::IndexCorrupt, where + "index is damaged: " + msg,
                 "rebuild it with: taxon-index --rebuild", path);
  }
  if (type == "DatabaseNotFoundError") {
    return Error(ErrorCode::NotFound, where + "no index here", "create one with: taxon-index DIR",
                 path);
  }
  if (type == "DatabaseOpeningError") {
    return Error(ErrorCode::Io, where + "cannot open index: " + msg, {}, path);
  }
  if (type == "NetworkError") {
    return Error(ErrorCode::Remote, where + "remote shard failed: " + msg, {}, path);
  }
  if (type == "QueryParserError") {
    return Error(ErrorCode::BadQuery, "malformed query: " + msg, {}, path);
  }
  if (type.rfind("Database", 0) == 0) {
    const char* sys = e.get_error_string();
    const bool full = sys && std::string(sys) == std::strerror(ENOSPC);
    return Error(ErrorCode::Io, where + "index I/O failed: " + msg,
                 full ? "free some space, then run taxon-index again: what was committed is kept"
                      : std::string(),
                 path);
  }
  if (type == "InvalidArgumentError") {
    return Error(ErrorCode::InvalidArgument, where + msg, {}, path);
  }
  return Error(ErrorCode::Internal, where + e.get_type() + ": " + msg, {}, path);
}

}  // namespace taxon
