// SPDX-License-Identifier: MIT
#include "format/layout.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "taxon/error.h"
#include "taxon/indexer.h"
#include "util/file.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace taxon::format {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Lines of a stub, comments and blank lines left out, each with its number.
std::vector<std::pair<int, std::string>> stub_lines(const fs::path& file, bool& found) {
  std::string text;
  found = read_small_file(file, kMaxStubBytes, text);
  std::vector<std::pair<int, std::string>> out;
  int n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    ++n;
    std::string_view l = util::trim(std::string_view(text).substr(i, j - i));
    i = j + 1;
    if (l.empty() || l[0] == '#') continue;
    out.emplace_back(n, std::string(l));
  }
  return out;
}

[[noreturn]] void bad_line(const fs::path& file, int line, const std::string& what) {
  throw Error(ErrorCode::IndexCorrupt, file.string() + ":" + std::to_string(line) + ": " + what, {},
              file.string(), line);
}

// "remote HOST:PORT" / "remote tcp HOST:PORT" / "remote [::1]:PORT" -> host, port.
bool parse_remote(std::string_view rest, std::string& host, unsigned& port) {
  if (rest.rfind("tcp ", 0) == 0) rest = util::trim(rest.substr(4));
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) return false;
  std::string_view h = rest.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty() || h.find_first_of(" \t") != std::string_view::npos) return false;
  unsigned long p = 0;
  for (char c : rest.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + static_cast<unsigned long>(c - '0');
    if (p > 65535) return false;
  }
  if (p == 0) return false;
  host = std::string(h);
  port = static_cast<unsigned>(p);
  return true;
}

bool created_by_xapian(const std::string& name) {
  auto ends = [&name](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return name == "flintlock" || ends(".glass") || ends(".tmp");
}

}  // namespace

bool is_shard_name(std::string_view name) {
  if (name.rfind("shard-", 0) != 0) return false;
  std::string_view rest = name.substr(6);
  const std::size_t dot = rest.find('.');
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 9 &&
           s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (dot == std::string_view::npos) return digits(rest);
  return digits(rest.substr(0, dot)) && digits(rest.substr(dot + 1));
}

bool read_small_file(const fs::path& path, std::size_t max_bytes, std::string& out) {
  const util::FileRead r = util::read_regular_file(path.string(), max_bytes, out);
  switch (r.status) {
    case util::FileRead::Status::Ok:
      return true;
    case util::FileRead::Status::Failed:
      if (r.err == ENOENT) return false;
      throw Error(ErrorCode::Io, path.string() + ": cannot read: " + errno_text(r.err), {},
                  path.string());
    case util::FileRead::Status::NotRegular:
      throw Error(ErrorCode::IndexCorrupt, path.string() + ": not a regular file", {},
                  path.string());
    case util::FileRead::Status::TooBig:
      break;
  }
  throw Error(ErrorCode::IndexCorrupt,
              path.string() + ": file of " + std::to_string(r.size) + " bytes is larger than the " +
                  std::to_string(max_bytes) + " bytes allowed",
              {}, path.string());
}

std::vector<StubEntry> read_index_stub(const fs::path& dir, bool allow_remote) {
  const fs::path file = dir / kStubName;
  bool found = false;
  std::vector<StubEntry> out;
  for (const auto& [n, l] : stub_lines(file, found)) {
    if (l.rfind("remote", 0) == 0) {
      StubEntry e;
      e.line = n;
      const std::string rest(util::trim(std::string_view(l).substr(6)));
      if (!rest.empty() && rest[0] == ':')
        bad_line(file, n, "remote programs are never run; list remote shards as remote HOST:PORT");
      if (!allow_remote)
        bad_line(file, n,
                 "remote shard not read from an index folder unless asked (taxon-query --db "
                 "FOLDER --allow-remote)");
      if (!parse_remote(rest, e.host, e.port))
        bad_line(file, n, "expected 'remote HOST:PORT', not '" + l.substr(0, 80) + "'");
      out.push_back(std::move(e));
      continue;
    }
    if (l.rfind("auto ", 0) != 0)
      bad_line(file, n, "expected 'auto shard-N', not '" + l.substr(0, 80) + "'");
    const std::string name(util::trim(std::string_view(l).substr(5)));
    if (!is_shard_name(name))
      bad_line(file, n,
               "'" + name.substr(0, 80) +
                   "' is not a shard of this folder (only shard-N names are read from an index "
                   "folder)");
    for (const auto& e : out)
      if (!e.remote() && e.path == dir / name) bad_line(file, n, name + " is listed twice");
    out.push_back({dir / name, {}, 0, n});
  }
  return out;
}

std::vector<StubEntry> read_user_stub(const fs::path& file, bool allow_remote) {
  bool found = false;
  std::vector<StubEntry> out;
  const fs::path base = file.parent_path();
  for (const auto& [n, l] : stub_lines(file, found)) {
    const std::size_t sp = l.find_first_of(" \t");
    const std::string kind = l.substr(0, sp);
    const std::string rest =
        sp == std::string::npos ? std::string() : std::string(util::trim(l.substr(sp)));
    StubEntry e;
    e.line = n;
    if (kind == "auto" || kind == "glass") {
      if (rest.empty()) bad_line(file, n, "'" + kind + "' needs a database folder");
      e.path = fs::path(rest).is_absolute() ? fs::path(rest) : base / rest;
    } else if (kind == "remote") {
      if (!rest.empty() && rest[0] == ':')
        bad_line(file, n, "remote programs are never run; list remote shards as remote HOST:PORT");
      if (!parse_remote(rest, e.host, e.port))
        bad_line(file, n, "expected 'remote HOST:PORT', not '" + l.substr(0, 80) + "'");
      if (!allow_remote)
        bad_line(file, n, "remote shard not allowed here (pass --allow-remote to read it)");
    } else {
      bad_line(file, n,
               "expected 'auto PATH' or 'remote HOST:PORT', not '" + l.substr(0, 80) + "'");
    }
    out.push_back(std::move(e));
  }
  if (!found)
    throw Error(ErrorCode::NotFound, file.string() + ": no such stub file", {}, file.string());
  return out;
}

void write_stub(const fs::path& dir, const std::vector<std::string>& names) {
  const fs::path tmp = dir / (std::string(kStubName) + ".tmp");
  std::string text;
  for (const auto& n : names) text += "auto " + n + "\n";
  // A new file each time: whatever stood at that name (a FIFO would block
  // the open) is replaced, not written through.
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int err = errno;
  ok = fd >= 0 && ::fsync(fd) == 0 && ok;
  if (fd >= 0) ::close(fd);
  if (!ok)
    throw Error(ErrorCode::Io,
                tmp.string() + ": cannot write the index stub file: " + errno_text(err), {},
                tmp.string());
  if (::rename(tmp.c_str(), (dir / kStubName).c_str()) != 0)
    throw Error(ErrorCode::Io, (dir / kStubName).string() + ": " + errno_text(errno), {},
                dir.string());
}

void write_marker(const fs::path& dir) {
  const fs::path file = dir / kMarkerName;
  const std::string text =
      "This folder is a taxon index (taxon-index writes it; taxon-query reads it).\n";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  const bool ok =
      fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!ok)
    throw Error(ErrorCode::Io, file.string() + ": cannot write: " + errno_text(err), {},
                file.string());
}

bool is_index_folder(const fs::path& dir) {
  struct stat st {};
  if (::lstat((dir / kMarkerName).c_str(), &st) == 0 && S_ISREG(st.st_mode)) return true;
  try {
    return !read_index_stub(dir).empty();
  } catch (const Error&) {
    return false;
  }
}

ShardState shard_state(const fs::path& folder, std::string* why) {
  auto bad = [why](std::string w) {
    if (why) *why = std::move(w);
    return ShardState::NotDatabase;
  };
  struct stat st {};
  if (::lstat(folder.c_str(), &st) != 0)
    return errno == ENOENT ? ShardState::Missing
                           : bad(std::string("cannot look at it: ") + errno_text(errno));
  if (S_ISLNK(st.st_mode)) return bad("a symbolic link, not a shard folder");
  if (!S_ISDIR(st.st_mode)) return bad("not a folder");
  std::error_code ec;
  bool glass = false, foreign = false;
  std::string odd;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    struct stat est {};
    if (::lstat(it->path().c_str(), &est) != 0 || !S_ISREG(est.st_mode))
      return bad(name + " in it is not a regular file");
    if (name == "iamglass")
      glass = true;
    else if (!created_by_xapian(name) && name != "XAPIANDB")
      foreign = true, odd = name;
    else if (name == "XAPIANDB")
      return bad("it holds a stub file (XAPIANDB), not a database");
  }
  if (ec) return bad("cannot list it: " + ec.message());
  if (glass) return ShardState::Ready;
  if (foreign) return bad("it holds " + odd + " and no database");
  return ShardState::Empty;
}

void clear_empty_shard(const fs::path& folder) {
  if (shard_state(folder) != ShardState::Empty) return;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    fs::remove(it->path(), ec);
}

std::size_t shard_of(const std::string& page_id, std::size_t shards) {
  if (shards <= 1) return 0;
  return static_cast<std::size_t>(std::stoull(page_id.substr(0, 15), nullptr, 16) % shards);
}

std::string shard_tag(std::size_t i, std::size_t n) {
  return std::to_string(i) + "/" + std::to_string(n);
}

bool parse_shard_tag(std::string_view tag, std::size_t& i, std::size_t& n) {
  const std::size_t slash = tag.find('/');
  if (slash == std::string_view::npos) return false;
  auto number = [](std::string_view s, std::size_t& out) {
    if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos)
      return false;
    out = std::stoul(std::string(s));
    return true;
  };
  std::size_t a = 0, b = 0;
  if (!number(tag.substr(0, slash), a) || !number(tag.substr(slash + 1), b)) return false;
  if (b == 0 || b > kMaxShardCount || a >= b) return false;
  i = a;
  n = b;
  return true;
}

std::string remote_line(std::string_view address) {
  auto bad = [address](const std::string& why) {
    return Error(ErrorCode::InvalidArgument,
                 "'" + std::string(address.substr(0, 80)) + "': " + why);
  };
  if (address.empty()) throw bad("empty address; expected HOST:PORT");
  if (address[0] == ':')
    throw bad("a remote shard is HOST:PORT; taxon never runs a program (:PROGRAM)");
  const std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) throw bad("no port; expected HOST:PORT");
  std::string_view host = address.substr(0, colon);
  const std::string_view port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos)
    throw bad("the port must be a number from 1 to 65535");
  const unsigned long p = std::stoul(std::string(port));
  if (p == 0 || p > 65535) throw bad("the port must be a number from 1 to 65535");
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    const std::string_view inner = host.substr(1, host.size() - 2);
    if (inner.empty() || inner.find(':') == std::string_view::npos ||
        inner.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
      throw bad("not an IPv6 address in brackets");
  } else {
    if (host.empty()) throw bad("no host; expected HOST:PORT");
    if (host.find(':') != std::string_view::npos)
      throw bad("an IPv6 address goes in brackets: [ADDRESS]:PORT");
    for (char c : host)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_'))
        throw bad("a host name holds only letters, digits, '.', '-' and '_'");
    if (host.size() > 253) throw bad("host name longer than 253 characters");
  }
  std::string line = "remote " + std::string(host) + ":" + std::to_string(p);
  // What is written is what the reader takes back.
  std::string h;
  unsigned back = 0;
  if (!parse_remote(std::string_view(line).substr(7), h, back) || back != p) {
    throw bad("not an address a stub can hold");
  }
  return line;
}

IndexLock::IndexLock(const fs::path& dir, double wait_seconds) {
  const fs::path file = dir / kLockName;
  fd_ =
      ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0644);
  if (fd_ < 0) {
    const int err = errno;
    if (err == EACCES || err == EPERM || err == EROFS)
      throw Error(ErrorCode::Io, dir.string() + ": index is read-only: " + errno_text(err),
                  "taxon-index needs write access to the index folder", dir.string());
    throw Error(ErrorCode::Io, file.string() + ": cannot open the lock file: " + errno_text(err),
                {}, file.string());
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCode::IndexCorrupt, file.string() + ": not a regular file", {}, file.string());
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      fd_ = -1;
      if (err == EWOULDBLOCK)
        throw Error(ErrorCode::IndexLocked,
                    dir.string() + ": index is locked by another taxon-index",
                    "wait for it to finish, or pass --wait SECONDS", dir.string());
      throw Error(ErrorCode::Io, file.string() + ": cannot lock: " + errno_text(err), {},
                  file.string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

IndexLock::~IndexLock() {
  if (fd_ >= 0) ::close(fd_);
}

IndexLock& IndexLock::operator=(IndexLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

}  // namespace taxon::format
