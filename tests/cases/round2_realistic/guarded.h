// Project locking utilities: a Guarded<T> that hands out locked views, a shard
// lock RAII type with an early unlock(), and a CRTP base with a lock helper.
#pragma once
#include <array>
#include <mutex>
#include <shared_mutex>
#include <utility>

namespace util {

template <typename T>
class Guarded {
 public:
  struct Locked {
    std::unique_lock<std::mutex> lock;
    T* value;
    T* operator->() { return value; }
    T& operator*() { return *value; }
  };

  Locked lock() { return Locked{std::unique_lock<std::mutex>(mu_), &value_}; }

 private:
  std::mutex mu_;
  T value_{};
};

struct Shard {
  std::mutex mu;
  long bytes = 0;
  int entries = 0;
};

// Locks a shard; unlock() releases early, the destructor releases otherwise.
class ShardLock {
 public:
  explicit ShardLock(Shard& s) : shard_(&s) { shard_->mu.lock(); }
  ShardLock(const ShardLock&) = delete;
  ShardLock& operator=(const ShardLock&) = delete;
  ~ShardLock() { unlock(); }

  void unlock() {
    if (shard_) {
      shard_->mu.unlock();
      shard_ = nullptr;
    }
  }

 private:
  Shard* shard_;
};

template <typename Derived>
class Lockable {
 protected:
  std::unique_lock<std::shared_mutex> exclusive() { return std::unique_lock<std::shared_mutex>(rw_); }
  std::shared_lock<std::shared_mutex> shared() const { return std::shared_lock<std::shared_mutex>(rw_); }

 private:
  mutable std::shared_mutex rw_;
};

}  // namespace util
