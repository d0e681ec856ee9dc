// MemoryBackend::put holds the base mutex and then awaits the qualified (non-
// virtual) call StorageBackend::put, which locks that same mutex: deadlock.
// MemoryBackend::flush copies under the lock and awaits after releasing it.
#include <cstdio>
#include <string>
#include <utility>

#include "storage_backend.h"

namespace storage {

demo::Task<int> MemoryBackend::put(std::string key, std::string value) {
  if (key.empty()) {
    std::fprintf(stderr, "put: empty key\n");
    co_return -1;
  }
  std::unique_lock<std::mutex> lk(mu_);
  table_[key] = value;
  const int n = co_await StorageBackend::put(std::move(key), std::move(value));  // expect: lock-await-deadlock
  co_return n;
}

demo::Task<void> MemoryBackend::flush() {
  std::size_t count = 0;
  {
    std::unique_lock<std::mutex> lk(mu_);
    count = dirty_.size();
    dirty_.clear();
    ++flushes_;
  }
  co_await demo::write_socket(static_cast<int>(count));
}

}  // namespace storage
