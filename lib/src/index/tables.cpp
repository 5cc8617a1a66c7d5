// SPDX-License-Identifier: MIT
#include "index/tables.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

namespace taxon::index {

namespace fs = std::filesystem;

namespace {

// Metadata values are split at this size: one tag is one B-tree item.
constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr char kWord = 'w', kSynonym = 's';

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void put_str(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

bool get_varint(std::string_view& s, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !s.empty(); shift += 7) {
    const auto c = static_cast<unsigned char>(s.front());
    s.remove_prefix(1);
    v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

bool get_str(std::string_view& s, std::string& out) {
  std::uint64_t n = 0;
  if (!get_varint(s, n) || n > s.size()) return false;
  out.assign(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

std::string chunk_key(std::size_t i) { return std::string(kMetaTables) + ":" + std::to_string(i); }

}  // namespace

void copy_tables(Xapian::WritableDatabase& db) {
  // Chunks end at an entry's end, so each can be read on its own.
  std::vector<std::string> chunks(1);
  auto room = [&chunks] {
    if (chunks.back().size() >= kChunkBytes) chunks.emplace_back();
    return &chunks.back();
  };
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    std::string* c = room();
    *c += kWord;
    put_str(*c, *it);
    put_varint(*c, it.get_termfreq());
  }
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
    for (auto v = db.synonyms_begin(*k); v != db.synonyms_end(*k); ++v) {
      std::string* c = room();
      *c += kSynonym;
      put_str(*c, *k);
      put_str(*c, *v);
    }
  }
  if (chunks.back().empty()) chunks.pop_back();
  for (std::size_t i = 0; i < chunks.size(); ++i) db.set_metadata(chunk_key(i), chunks[i]);
  const std::string before = db.get_metadata(std::string(kMetaTables));
  std::size_t old_chunks = 0;
  if (!before.empty() && before.size() < 10 &&
      before.find_first_not_of("0123456789") == std::string::npos)
    old_chunks = std::stoul(before);
  for (std::size_t i = chunks.size(); i < old_chunks; ++i) db.set_metadata(chunk_key(i), "");
  db.set_metadata(std::string(kMetaTables), std::to_string(chunks.size()));
}

std::string read_table_copy(const Xapian::Database& db) {
  const std::string count = db.get_metadata(std::string(kMetaTables));
  if (count.empty() || count.size() > 9 ||
      count.find_first_not_of("0123456789") != std::string::npos)
    return {};
  std::string all;
  const std::size_t chunks = std::stoul(count);
  for (std::size_t i = 0; i < chunks; ++i) all += db.get_metadata(chunk_key(i));
  return all;
}

bool load_tables(const std::string& copy, Xapian::WritableDatabase& out) {
  std::string_view s(copy);
  std::string a, b;
  while (!s.empty()) {
    const char kind = s.front();
    s.remove_prefix(1);
    if (kind == kWord) {
      std::uint64_t n = 0;
      if (!get_str(s, a) || !get_varint(s, n) || a.empty() || n == 0 || n > 0xFFFFFFFFu)
        return false;
      out.add_spelling(a, static_cast<Xapian::termcount>(n));
    } else if (kind == kSynonym) {
      if (!get_str(s, a) || !get_str(s, b) || a.empty() || b.empty()) return false;
      out.add_synonym(a, b);
    } else {
      return false;
    }
  }
  return true;
}

namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

fs::path cache_root() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return fs::path(x) / "taxon";
  if (const char* home = std::getenv("HOME"); home && *home == '/')
    return fs::path(home) / ".cache" / "taxon";
  return fs::temp_directory_path() / ("taxon-cache-" + std::to_string(::getuid()));
}

}  // namespace

Xapian::Database cached_tables(const Xapian::Database& shard) {
  const std::string copy = read_table_copy(shard);
  if (copy.empty()) return Xapian::Database();
  std::string uuid;
  for (char c : shard.get_uuid())
    if (std::isxdigit(static_cast<unsigned char>(c)) || c == '-') uuid += c;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(copy)));
  const std::string prefix = "tables-" + uuid + "-";
  const fs::path root = cache_root();
  const fs::path dir = root / (prefix + hash);
  std::error_code ec;
  fs::create_directories(root, ec);
  // Only a folder of this user's own: one planted by another (in the
  // temporary folder) is not read from or written to.
  struct stat st {};
  if (::lstat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
    return Xapian::Database();
  fs::permissions(root, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (fs::exists(dir / "iamglass", ec)) {
    try {
      return Xapian::Database(dir.string(), Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::Error&) {
      fs::remove_all(dir, ec);  // unreadable: built again below
    }
  }

  // Built beside its place and renamed into it, so that a reader never
  // opens half of one; two processes building at once both succeed.
  const fs::path tmp = root / (prefix + hash + ".tmp-" + std::to_string(::getpid()));
  try {
    {
      Xapian::WritableDatabase out(tmp.string(),
                                   Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
      if (!load_tables(copy, out)) {
        out.close();
        fs::remove_all(tmp, ec);
        return Xapian::Database();
      }
      out.commit();
    }
    fs::rename(tmp, dir, ec);
    if (ec) fs::remove_all(tmp, ec);
    // Older versions of this shard's tables.
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) == 0 && entry.path() != dir &&
          name.find(".tmp-") == std::string::npos)
        fs::remove_all(entry.path(), ec);
    }
    return Xapian::Database(dir.string(), Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error&) {
    // No cache folder to write to: no tables.
    fs::remove_all(tmp, ec);
    return Xapian::Database();
  }
}

}  // namespace taxon::index
