// SPDX-License-Identifier: MIT
#include "index/layout.h"

#include <fstream>

#include "taxon/error.h"

namespace fs = std::filesystem;

namespace taxon::index {

std::vector<fs::path> read_stub(const fs::path& dir) {
  std::vector<fs::path> out;
  std::ifstream in(dir / kStubName);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("auto ", 0) == 0) out.push_back(dir / line.substr(5));
  }
  return out;
}

void write_stub(const fs::path& dir, std::size_t shards) {
  const fs::path tmp = dir / (std::string(kStubName) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (std::size_t i = 0; i < shards; ++i) out << "auto " << shard_path({}, i).string() << "\n";
    out.flush();
    if (!out) throw Error(ErrorCode::Io, tmp.string() + ": cannot write the index stub file");
  }
  std::error_code ec;
  fs::rename(tmp, dir / kStubName, ec);
  if (ec) throw Error(ErrorCode::Io, (dir / kStubName).string() + ": " + ec.message());
}

fs::path shard_path(const fs::path& dir, std::size_t i) {
  return dir / ("shard-" + std::to_string(i));
}

std::size_t shard_of(const std::string& page_id, std::size_t shards) {
  if (shards <= 1) return 0;
  return static_cast<std::size_t>(std::stoull(page_id.substr(0, 15), nullptr, 16) % shards);
}

void remove_index_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = name == kStubName || name.rfind("shard-", 0) == 0 || name == "iamglass" ||
                      name == "flintlock" || entry.path().extension() == ".glass";
    if (ours) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace taxon::index
