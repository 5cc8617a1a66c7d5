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

#include "format/schema.h"

namespace taxon::index {

namespace fs = std::filesystem;

namespace {

// Metadata values are split at this size: one tag is one B-tree item.
constexpr std::size_t kChunkBytes = std::size_t{256} * 1024;
constexpr char kWord = 'w', kSynonym = 's';

std::string chunk_key(std::size_t i) { return std::string(kMetaTables) + ":" + std::to_string(i); }

// The copy's hash: 16 hex digits of FNV-1a over its chunks.
std::string hash_of(const std::vector<std::string>& chunks) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& c : chunks)
    for (const char b : c) h = (h ^ static_cast<unsigned char>(b)) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// kMetaTables holds "CHUNKS HASH": a reader that has rebuilt this version
// of the copy knows so without reading the chunks.
struct Header {
  std::size_t chunks = 0;
  std::string hash;
};

Header read_header(const Xapian::Database& db) {
  const std::string v = db.get_metadata(std::string(kMetaTables));
  const std::size_t space = v.find(' ');
  Header h;
  if (space == std::string::npos || space == 0 || space > 9 ||
      v.find_first_not_of("0123456789") != space || v.size() - space - 1 != 16 ||
      v.find_first_not_of("0123456789abcdef", space + 1) != std::string::npos)
    return h;
  h.chunks = std::stoul(v.substr(0, space));
  h.hash = v.substr(space + 1);
  return h;
}

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
    schema::put_str(*c, *it);
    schema::put_varint(*c, it.get_termfreq());
  }
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
    for (auto v = db.synonyms_begin(*k); v != db.synonyms_end(*k); ++v) {
      std::string* c = room();
      *c += kSynonym;
      schema::put_str(*c, *k);
      schema::put_str(*c, *v);
    }
  }
  if (chunks.back().empty()) chunks.pop_back();
  for (std::size_t i = 0; i < chunks.size(); ++i) db.set_metadata(chunk_key(i), chunks[i]);
  for (std::size_t i = chunks.size(); i < read_header(db).chunks; ++i)
    db.set_metadata(chunk_key(i), "");
  db.set_metadata(std::string(kMetaTables), std::to_string(chunks.size()) + " " + hash_of(chunks));
}

std::string read_table_copy(const Xapian::Database& db) {
  std::string all;
  for (std::size_t i = 0, n = read_header(db).chunks; i < n; ++i)
    all += db.get_metadata(chunk_key(i));
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
      if (!schema::get_str(s, a) || !schema::get_varint(s, n) || a.empty() || n == 0 ||
          n > 0xFFFFFFFFu)
        return false;
      out.add_spelling(a, static_cast<Xapian::termcount>(n));
    } else if (kind == kSynonym) {
      if (!schema::get_str(s, a) || !schema::get_str(s, b) || a.empty() || b.empty()) return false;
      out.add_synonym(a, b);
    } else {
      return false;
    }
  }
  return true;
}

namespace {

fs::path cache_root() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return fs::path(x) / "taxon";
  if (const char* home = std::getenv("HOME"); home && *home == '/')
    return fs::path(home) / ".cache" / "taxon";
  return fs::temp_directory_path() / ("taxon-cache-" + std::to_string(::getuid()));
}

}  // namespace

Xapian::Database cached_tables(const Xapian::Database& shard) {
  const Header header = read_header(shard);
  if (header.chunks == 0) return Xapian::Database();
  std::string uuid;
  for (char c : shard.get_uuid())
    if (std::isxdigit(static_cast<unsigned char>(c)) || c == '-') uuid += c;
  const std::string& hash = header.hash;
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
  const std::string copy = read_table_copy(shard);
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
