// SPDX-License-Identifier: MIT
// A main for the fuzz targets without libFuzzer: runs LLVMFuzzerTestOneInput
// once on each file named (a folder: each regular file in it, sorted), so
// ctest replays the seeds and every input a fuzzer ever crashed on with any
// compiler. A target that traps fails the test; the last line on stderr
// names the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// Inputs over this are not what the fuzzers feed (-max_len) and are skipped.
constexpr std::uintmax_t kMaxInput = 1 << 20;

// The files `p` names; in a folder and those below it, those whose names start with `only` (when
// given) and not with `except` (when given).
void collect(const std::filesystem::path& p, const std::string& only, const std::string& except,
             std::vector<std::filesystem::path>& out) {
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
      const std::string name = e.path().filename().string();
      if (!only.empty() && name.rfind(only, 0) != 0) continue;
      if (!except.empty() && name.rfind(except, 0) == 0) continue;
      if (name == "README.md" || name == ".gitignore") continue;
      if (e.is_regular_file(ec)) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  } else if (std::filesystem::is_regular_file(p, ec)) {
    out.push_back(p);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // --only=PREFIX and --except=PREFIX apply to the folders after them
  // (fuzz/crashes holds both targets' inputs, the query ones as query-*).
  std::vector<std::filesystem::path> inputs;
  std::string only, except;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--only=", 0) == 0)
      only = arg.substr(7);
    else if (arg.rfind("--except=", 0) == 0)
      except = arg.substr(9);
    else
      collect(arg, only, except, inputs);
  }
  std::size_t n = 0;
  for (const auto& p : inputs) {
    std::error_code ec;
    if (std::filesystem::file_size(p, ec) > kMaxInput || ec) continue;
    std::ifstream in(p, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::cerr << "input: " << p.string() << "\n";
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++n;
  }
  std::cout << "replayed " << n << " inputs\n";
  return n == 0 ? 1 : 0;
}
