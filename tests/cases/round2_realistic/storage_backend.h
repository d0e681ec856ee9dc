// A storage hierarchy with virtual coroutines; the base owns the mutex that
// derived classes use.
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "coro.h"

namespace storage {

class StorageBackend {
 public:
  virtual ~StorageBackend() = default;
  virtual demo::Task<void> flush() = 0;

  // Records a write; takes the base mutex, never suspends while holding it.
  virtual demo::Task<int> put(std::string key, std::string value) {
    std::lock_guard<std::mutex> g(mu_);
    dirty_[std::move(key)] = std::move(value);
    co_return static_cast<int>(dirty_.size());
  }

 protected:
  std::mutex mu_;
  std::map<std::string, std::string> dirty_;
  long flushes_ = 0;
};

class DiskBackend final : public StorageBackend {
 public:
  demo::Task<void> flush() override;
  demo::Task<int> put(std::string key, std::string value) override;

 private:
  int fd_ = -1;
  std::vector<std::string> wal_;
};

class MemoryBackend : public StorageBackend {
 public:
  demo::Task<void> flush() override;
  demo::Task<int> put(std::string key, std::string value) override;

 private:
  std::map<std::string, std::string> table_;
};

}  // namespace storage
