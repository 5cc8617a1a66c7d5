// SPDX-License-Identifier: MIT
// Hooks that let tests act at a precise moment of a run (a file swapped
// between the walk and the read). Internal: not part of the public API;
// tests include this header from lib/src.
#ifndef TAXON_INDEX_TEST_HOOKS_H_
#define TAXON_INDEX_TEST_HOOKS_H_

#include <functional>
#include <string>
#include <utility>

#include "taxon/export.h"

namespace taxon::index {

using BeforeReadHook = std::function<void(const std::string& path)>;

/// Sets the hook every Indexer of the process calls on a worker thread with
/// a file's path just before it reads the file; an empty hook removes it.
/// Set it while no run is in progress.
TAXON_EXPORT void set_before_read_hook(BeforeReadHook hook);

/// Calls the hook, if one is set.
void before_read(const std::string& path);

/// Sets the hook for its own lifetime.
class ScopedBeforeReadHook {
 public:
  explicit ScopedBeforeReadHook(BeforeReadHook hook) { set_before_read_hook(std::move(hook)); }
  ~ScopedBeforeReadHook() { set_before_read_hook({}); }
  ScopedBeforeReadHook(const ScopedBeforeReadHook&) = delete;
  ScopedBeforeReadHook& operator=(const ScopedBeforeReadHook&) = delete;
};

}  // namespace taxon::index

#endif  // TAXON_INDEX_TEST_HOOKS_H_
