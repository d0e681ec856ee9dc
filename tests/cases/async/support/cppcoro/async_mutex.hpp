// Stand-in for cppcoro's async_mutex (only what the test cases use).
#pragma once
#include <coroutine>
#include <mutex>

namespace cppcoro {

class async_mutex;

// RAII ownership of an async_mutex; the destructor unlocks it.
class async_mutex_lock {
 public:
  async_mutex_lock(async_mutex& m, std::adopt_lock_t) noexcept : m_(&m) {}
  async_mutex_lock(async_mutex_lock&& o) noexcept : m_(o.m_) { o.m_ = nullptr; }
  async_mutex_lock(const async_mutex_lock&) = delete;
  ~async_mutex_lock();

 private:
  async_mutex* m_;
};

class async_mutex {
 public:
  struct lock_operation {
    async_mutex& m;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() const noexcept {}
  };
  struct scoped_lock_operation {
    async_mutex& m;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    async_mutex_lock await_resume() const noexcept { return async_mutex_lock(m, std::adopt_lock); }
  };

  bool try_lock() noexcept { return true; }
  lock_operation lock_async() noexcept { return {*this}; }
  scoped_lock_operation scoped_lock_async() noexcept { return {*this}; }
  void unlock() {}
};

inline async_mutex_lock::~async_mutex_lock() {
  if (m_) m_->unlock();
}

}  // namespace cppcoro
