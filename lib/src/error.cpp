// SPDX-License-Identifier: MIT
#include "taxon/error.h"

#include "taxon/version.h"

namespace taxon {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::NotFound:
      return "not-found";
    case ErrorCode::InvalidArgument:
      return "invalid-argument";
    case ErrorCode::BadInput:
      return "bad-input";
    case ErrorCode::BadQuery:
      return "bad-query";
    case ErrorCode::IndexLocked:
      return "index-locked";
    case ErrorCode::IndexCorrupt:
      return "index-corrupt";
    case ErrorCode::IndexVersion:
      return "index-version";
    case ErrorCode::Io:
      return "io";
    case ErrorCode::Remote:
      return "remote";
    case ErrorCode::Internal:
      return "internal";
  }
  return "internal";
}

Error::Error(ErrorCode code, const std::string& message, std::string hint, std::string file,
             int line)
    : std::runtime_error(message),
      code_(code),
      hint_(std::move(hint)),
      file_(std::move(file)),
      line_(line) {}

const char* version() { return TAXON_VERSION_STRING; }

}  // namespace taxon
