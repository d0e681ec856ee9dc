// DiskBackend::flush (an override of a pure virtual coroutine) holds the base
// class's protected mutex across the WAL writes.
#include <cstdio>
#include <string>
#include <utility>

#include "storage_backend.h"

namespace storage {

namespace {
int checksum(const std::string& s) {
  int c = 0;
  for (char ch : s) c = c * 31 + ch;
  return c;
}
}  // namespace

demo::Task<void> DiskBackend::flush() {
  if (fd_ < 0) {
    std::fprintf(stderr, "flush: backend not open\n");
    co_return;
  }
  std::unique_lock<std::mutex> lk(mu_);
  if (dirty_.empty()) {
    co_return;
  }
  auto pending = std::move(dirty_);
  dirty_.clear();
  for (const auto& [key, value] : pending) {
    wal_.push_back(key);
    const int written = co_await demo::write_socket(checksum(key) ^ checksum(value));  // expect: lock-across-suspend
    if (written < 0) {
      std::fprintf(stderr, "flush: short write for %s\n", key.c_str());
      dirty_.emplace(key, value);
    }
  }
  ++flushes_;
}

demo::Task<int> DiskBackend::put(std::string key, std::string value) {
  {
    std::lock_guard<std::mutex> g(mu_);
    wal_.push_back(key);
  }
  co_await demo::write_socket(static_cast<int>(value.size()));
  std::lock_guard<std::mutex> g(mu_);
  dirty_[std::move(key)] = std::move(value);
  co_return static_cast<int>(dirty_.size());
}

}  // namespace storage
