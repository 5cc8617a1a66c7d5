// SPDX-License-Identifier: MIT
#include "util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace taxon::util {

FileRead read_regular_file(const std::string& path, std::uintmax_t max_bytes, std::string& out) {
  FileRead r;
  auto failed = [&r](int err) {
    r.status = FileRead::Status::Failed;
    r.err = err;
    return r;
  };
  auto not_regular = [&r](mode_t mode) {
    r.status = FileRead::Status::NotRegular;
    r.mode = mode;
    return r;
  };
  auto too_big = [&r](std::uintmax_t size) {
    r.status = FileRead::Status::TooBig;
    r.size = size;
    return r;
  };
  out.clear();
  // Opening a device can do something of its own: look before opening.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return failed(errno);
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return failed(errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0) return failed(errno);
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    return too_big(static_cast<std::uintmax_t>(st.st_size));
  // One byte past the limit tells a file that grew since fstat.
  const std::size_t cap =
      static_cast<std::size_t>(std::min<std::uintmax_t>(max_bytes, SIZE_MAX - 1)) + 1;
  out.resize(std::min<std::size_t>(static_cast<std::size_t>(st.st_size) + 1, cap));
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (out.size() >= cap) break;
      out.resize(std::min(cap, out.size() * 2));
    }
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return failed(errno);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  if (got > max_bytes) return too_big(got);
  return r;
}

}  // namespace taxon::util
