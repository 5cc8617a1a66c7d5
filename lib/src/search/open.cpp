// SPDX-License-Identifier: MIT
// Opening an index for searching: finding it (find_index), reading its stub,
// opening each shard (local, or remote through xapian-tcpsrv), checking that
// each is the shard taxon wrote there, and the Searcher members that open,
// reopen and size it.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include <xapian.h>

#include "format/layout.h"
#include "format/schema.h"
#include "index/tables.h"
#include "search/searcher_impl.h"
#include "search/state.h"
#include "taxon/error.h"
#include "taxon/searcher.h"
#include "taxon/version.h"
#include "xapian_error.h"

namespace fs = std::filesystem;

namespace taxon {
namespace search {

void SearcherState::open() {
  for (int attempt = 0;; ++attempt) {
    const std::string before = stub_text();
    // A failure to open is retried only when the stub changed meanwhile (a
    // rebuild swapped the shards); otherwise it goes on as it is, a Xapian
    // exception to the caller's xapian_try.
    try {
      open_once();
      return;
    } catch (const Error&) {
      if (attempt >= 3 || stub_text() == before) throw;
    } catch (const Xapian::Error&) {
      if (attempt >= 3 || stub_text() == before) throw;
    }
  }
}

std::string SearcherState::stub_text() const {
  std::string text;
  std::error_code ec;
  try {
    format::read_small_file(
        fs::is_directory(path, ec) ? fs::path(path) / format::kStubName : fs::path(path),
        format::kMaxStubBytes, text);
  } catch (const Error&) {
    // No readable stub (a single database, or one being swapped): "", which
    // open() compares as it compares any other text.
  }
  return text;
}

// The databases `path` lists: its stub's lines, or the folder itself when it
// is one database.
std::vector<format::StubEntry> SearcherState::read_listing() {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw Error(ErrorCode::NotFound, path + ": no index here", "create one with: taxon-index DIR",
                path);
  std::vector<format::StubEntry> listed;
  if (S_ISDIR(st.st_mode)) {
    listed = format::read_index_stub(path, options.allow_remote);
    if (listed.empty()) {
      struct stat gst {};
      if (::stat((fs::path(path) / "iamglass").c_str(), &gst) != 0)
        throw Error(ErrorCode::NotFound, path + ": no index here",
                    "create one with: taxon-index DIR", path);
      // One database (xapian-compact of the stub, or an index made by hand).
      listed.push_back({fs::path(path), {}, 0, 0});
      single = true;
    }
  } else if (S_ISREG(st.st_mode)) {
    listed = format::read_user_stub(path, options.allow_remote);
    if (listed.empty())
      throw Error(ErrorCode::IndexCorrupt, path + ": the stub lists no databases", {}, path);
  } else {
    throw Error(ErrorCode::NotFound, path + ": not an index folder or a stub file", {}, path);
  }
  return listed;
}

// Opens remote shard `e` into shards and vocab_shards: false when it cannot
// be reached and allow_partial leaves it out.
bool SearcherState::open_remote(const format::StubEntry& e, const std::string& name) {
  remote = true;
  try {
    const auto ms = static_cast<useconds_t>(options.remote_timeout_ms);
    Xapian::Database shard = Xapian::Remote::open(e.host, e.port, ms, ms);
    vocab_shards.push_back(index::cached_tables(shard));
    shards.push_back(std::move(shard));
  } catch (const Xapian::Error& x) {
    // Not the generic mapping: the message names the shard and its place
    // in the stub, and with allow_partial the shard is only left out.
    if (!options.allow_partial)
      throw Error(ErrorCode::Remote, path + ": " + name + " cannot be reached: " + x.get_msg(),
                  "start its xapian-tcpsrv, or pass --allow-partial to search the others", path);
    missing.push_back(name + ": " + x.get_msg());
    return false;
  }
  return true;
}

// Opens local shard `e` into shards and vocab_shards, once its folder is
// seen to hold a shard.
void SearcherState::open_local(const format::StubEntry& e) {
  std::string why;
  const std::string where =
      e.line > 0 ? " (listed on line " + std::to_string(e.line) + " of the stub)" : "";
  switch (format::shard_state(e.path, &why)) {
    case format::ShardState::Ready:
      break;
    case format::ShardState::Missing:
      throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": shard is missing" + where,
                  "rebuild it with: taxon-index --rebuild", path);
    case format::ShardState::Empty:
      throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": shard holds no database" + where,
                  "run taxon-index again to finish the index", path);
    case format::ShardState::NotDatabase:
      throw Error(ErrorCode::IndexCorrupt, e.path.string() + ": not a shard: " + why + where,
                  "rebuild it with: taxon-index --rebuild", path);
  }
  shards.emplace_back(e.path.string(), Xapian::DB_BACKEND_GLASS);
  vocab_shards.push_back(shards.back());
}

void SearcherState::open_once() {
  db = Xapian::Database();
  vocab = Xapian::Database();
  shards.clear();
  vocab_shards.clear();
  single = false;
  remote = false;
  positions.clear();
  shard_names.clear();
  missing.clear();
  const std::vector<format::StubEntry> listed = read_listing();
  listed_count = listed.size();
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const format::StubEntry& e = listed[i];
    std::string name;
    if (e.remote()) {
      name = shard_name(e, i);
      if (!open_remote(e, name)) continue;
    } else {
      open_local(e);
    }
    positions.push_back(i);
    shard_names.push_back(std::move(name));
    db.add_database(shards.back());
    vocab.add_database(vocab_shards.back());
  }
  if (shards.empty()) throw Error(ErrorCode::Remote, path + ": no shard can be reached", {}, path);
}

std::string SearcherState::shard_name(const format::StubEntry& e, std::size_t i) const {
  return e.host + ":" + std::to_string(e.port) + " (shard " + std::to_string(i + 1) + " of " +
         std::to_string(listed_count) + ")";
}

std::vector<std::string> SearcherState::unreachable() {
  std::vector<std::string> dead;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    if (shard_names[i].empty()) continue;
    try {
      shards[i].keep_alive();
    } catch (const Xapian::Error& x) {
      // Not an error here: this is the question asked, and the answer is
      // listed for the caller to report.
      dead.push_back(shard_names[i] + ": " + x.get_msg());
    }
  }
  return dead;
}

void SearcherState::check_schema() {
  const std::size_t n = listed_count;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const std::size_t i = positions[k];
    const std::string v = shards[k].get_metadata(std::string(schema::kMetaSchema));
    if (v != std::to_string(kSchemaVersion)) {
      throw Error(ErrorCode::IndexVersion,
                  path + ": " +
                      (v.empty() ? std::string("not a taxon index (no schema version)")
                                 : "index has schema version " + v + ", this taxon reads version " +
                                       std::to_string(kSchemaVersion)) +
                      (n > 1 ? " in shard " + std::to_string(i + 1) + " of " + std::to_string(n)
                             : std::string()),
                  "rebuild it with: taxon-index --rebuild", path);
    }
    if (single) continue;
    const std::string have = shards[k].get_metadata(std::string(format::kMetaShard));
    // One shard of several, built alone (taxon-index --shard K/N).
    if (n == 1 && have != format::shard_tag(0, 1) && have.find('/') != std::string::npos &&
        have.substr(have.find('/')) != "/1")
      throw Error(ErrorCode::IndexCorrupt,
                  path + ": holds only shard " + have + " of an index (taxon-index --shard)",
                  "serve each shard with xapian-tcpsrv and query a stub of all of them "
                  "(taxon-index --stub HOST:PORT...), or query the shard folder itself",
                  path);
    if (have != format::shard_tag(i, n))
      throw Error(ErrorCode::IndexCorrupt,
                  path + ": line " + std::to_string(i + 1) + " of the stub is shard " +
                      (have.empty() ? std::string("?") : have) + ", expected " +
                      format::shard_tag(i, n) + " (the stub was edited?)",
                  "rebuild it with: taxon-index --rebuild", path);
  }
}

}  // namespace search

Searcher::Searcher(const fs::path& db, const OpenOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = db.string();
  impl_->options = options;
  impl_->page_cache.set_budget(options.page_cache_bytes);
  std::error_code ec;
  if (!fs::exists(db, ec)) {
    throw Error(ErrorCode::NotFound, impl_->path + ": no index here",
                "create one with: taxon-index DIR", impl_->path);
  }
  xapian_try(impl_->path, [&] {
    impl_->open();
    impl_->check_schema();
    impl_->load_languages();
    impl_->load_runs();
  });
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

std::size_t Searcher::size() const {
  return xapian_try(impl_->path, [&] {
    const Xapian::doccount n = impl_->db.get_doccount();
    return static_cast<std::size_t>(n > impl_->hidden_docs ? n - impl_->hidden_docs : 0);
  });
}

void Searcher::reopen() {
  xapian_try(impl_->path, [&] {
    impl_->open();  // the shard list may have changed (--rebuild)
    impl_->check_schema();
    impl_->load_languages();
    impl_->load_runs();
    impl_->page_cache.clear();
    impl_->page_list.clear();
    impl_->folded_titles.clear();
    impl_->all_pages_loaded = false;
  });
}

bool may_read_remote(const fs::path& db, const fs::path& explicit_db, bool folder_too) {
  const char* env = std::getenv("TAXON_DB");
  if (explicit_db.empty() && !(env && *env)) return false;
  std::error_code ec;
  return folder_too || fs::is_regular_file(db, ec);
}

fs::path find_index(const fs::path& explicit_db, const fs::path& start) {
  if (!explicit_db.empty()) return explicit_db;
  if (const char* env = std::getenv("TAXON_DB"); env && *env) return fs::path(env);
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  for (;;) {
    fs::path cand = dir / ".taxon";
    if (fs::is_directory(cand, ec)) return cand;
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  throw Error(ErrorCode::NotFound,
              "no .taxon index in " + fs::absolute(start, ec).string() + " or any folder above it",
              "create one with: taxon-index DIR, or pass --db PATH or set TAXON_DB");
}

}  // namespace taxon
