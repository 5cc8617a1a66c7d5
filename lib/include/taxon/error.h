// SPDX-License-Identifier: MIT
#ifndef TAXON_ERROR_H_
#define TAXON_ERROR_H_

#include <stdexcept>
#include <string>

#include "taxon/export.h"

namespace taxon {

/// What went wrong, in words a caller can act on.
enum class ErrorCode {
  NotFound,         ///< no index where one was looked for
  InvalidArgument,  ///< a caller passed a value outside the contract
  BadInput,         ///< a page could not be read or parsed
  BadQuery,         ///< the query text is malformed
  IndexLocked,      ///< another writer holds the index
  IndexCorrupt,     ///< the index files are damaged
  IndexVersion,     ///< the index was written by another schema version
  Io,               ///< reading or writing files failed
  Remote,           ///< a remote shard could not be reached
  Internal,         ///< a bug in taxon
};

/// Short lower-case name of a code ("index-locked"), for messages and JSON.
TAXON_EXPORT const char* to_string(ErrorCode code);

/// The one exception type the public API throws. `what()` is the message; the
/// hint, when present, says what to do about it.
class TAXON_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, std::string hint = {}, std::string file = {},
        int line = 0);

  ErrorCode code() const noexcept { return code_; }
  const std::string& hint() const noexcept { return hint_; }
  /// File the error is about, or empty.
  const std::string& file() const noexcept { return file_; }
  /// 1-based line in file(), or 0.
  int line() const noexcept { return line_; }

 private:
  ErrorCode code_;
  std::string hint_;
  std::string file_;
  int line_;
};

}  // namespace taxon

#endif  // TAXON_ERROR_H_
