// Stand-in for libcoro's coro::mutex (only what the test cases use).
#pragma once
#include <coroutine>
#include <utility>

namespace coro {

class mutex;

// Returned by `co_await m.scoped_lock()`; unlocks on destruction or unlock().
class scoped_lock {
 public:
  explicit scoped_lock(mutex& m) : m_(&m) {}
  scoped_lock(scoped_lock&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  scoped_lock(const scoped_lock&) = delete;
  ~scoped_lock();
  void unlock();

 private:
  mutex* m_;
};

class mutex {
 public:
  struct lock_operation {
    mutex& m;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    coro::scoped_lock await_resume() { return coro::scoped_lock{m}; }
  };

  lock_operation scoped_lock() { return {*this}; }
  bool try_lock() { return true; }
  void unlock() {}
};

inline scoped_lock::~scoped_lock() {
  if (m_) m_->unlock();
}
inline void scoped_lock::unlock() {
  if (m_) {
    m_->unlock();
    m_ = nullptr;
  }
}

}  // namespace coro
