// Stand-in for folly/coro/Mutex.h (only what the test cases use).
#pragma once
#include <coroutine>
#include <mutex>

namespace folly::coro {

// A coroutine-aware mutex: waiters suspend instead of blocking the thread.
class Mutex {
 public:
  struct LockOperation {
    Mutex& m;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() const noexcept {}
  };
  struct ScopedLockOperation {
    Mutex& m;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    std::unique_lock<Mutex> await_resume() const noexcept { return std::unique_lock<Mutex>(m, std::adopt_lock); }
  };

  bool try_lock() noexcept { return true; }
  LockOperation co_lock() noexcept { return {*this}; }
  ScopedLockOperation co_scoped_lock() noexcept { return {*this}; }
  void unlock() noexcept {}
};

}  // namespace folly::coro
