// SPDX-License-Identifier: MIT
// Reading a file that someone else may have put there: only a regular
// file, never blocking on a FIFO, never past a size limit.
#ifndef TAXON_UTIL_FILE_H_
#define TAXON_UTIL_FILE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace taxon::util {

/// How reading a file went.
struct FileRead {
  enum class Status { Ok, Failed, NotRegular, TooBig } status = Status::Ok;
  int err = 0;              ///< Failed: the errno
  mode_t mode = 0;          ///< NotRegular: what the path is
  std::uintmax_t size = 0;  ///< TooBig: its size (or what was read past the limit)
};

/// Reads the regular file at `path` into `out`, at most `max_bytes`. Anything
/// else (a FIFO, a device, a folder) is not opened, or, should it replace the
/// file between the look and the open, not read: the open does not wait
/// (O_NONBLOCK) and the open descriptor is checked again.
FileRead read_regular_file(const std::string& path, std::uintmax_t max_bytes, std::string& out);

}  // namespace taxon::util

#endif  // TAXON_UTIL_FILE_H_
