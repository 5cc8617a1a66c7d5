// SPDX-License-Identifier: MIT
// The process's test hooks (index/test_hooks.h). Set before a run and only
// read during it: the threads of the run start after it is set.
#include "index/test_hooks.h"

namespace taxon::index {
namespace {

BeforeReadHook& before_read_hook() {
  static BeforeReadHook hook;
  return hook;
}

}  // namespace

void set_before_read_hook(BeforeReadHook hook) { before_read_hook() = std::move(hook); }

void before_read(const std::string& path) {
  if (const BeforeReadHook& hook = before_read_hook()) hook(path);
}

}  // namespace taxon::index
