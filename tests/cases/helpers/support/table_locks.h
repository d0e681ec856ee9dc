// Lock helpers shared by several translation units (a project header under support/).
#pragma once
#include <mutex>
#include <utility>

namespace tables {

inline std::mutex& routing_mutex() {
  static std::mutex m;
  return m;
}
inline int routing_epoch = 0;

// Returns an owning guard for the routing table.
inline std::unique_lock<std::mutex> lock_routing() {
  return std::unique_lock<std::mutex>(routing_mutex());
}

// A project guard: locks in the constructor, unlocks in the destructor, movable.
class ShardGuard {
 public:
  explicit ShardGuard(std::mutex& m) : m_(&m) { m_->lock(); }
  ShardGuard(ShardGuard&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  ShardGuard(const ShardGuard&) = delete;
  ~ShardGuard() {
    if (m_) m_->unlock();
  }

 private:
  std::mutex* m_;
};

class Shard {
 public:
  ShardGuard lock() { return ShardGuard(mu_); }
  int rows = 0;

 private:
  std::mutex mu_;
};

}  // namespace tables
