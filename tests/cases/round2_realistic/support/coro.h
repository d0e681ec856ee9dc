// Minimal coroutine vocabulary for the lockspan test cases (a copy of the
// shared fixtures' coro.h, extended at the end): a lazy Task, a Generator,
// a few awaitables and an async (coroutine-aware) mutex. Only the standard
// library is needed, so every fixture that includes this header parses with
// `clang++ -std=c++20 -fsyntax-only -I support`.
#pragma once
#include <coroutine>
#include <exception>
#include <optional>
#include <shared_mutex>
#include <mutex>
#include <utility>
#include <vector>

namespace demo {

template <typename T = void>
class Task {
 public:
  struct promise_type {
    std::optional<T> value;
    std::coroutine_handle<> continuation;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    auto final_suspend() noexcept {
      struct Final {
        bool await_ready() noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
          auto next = h.promise().continuation;
          return next ? next : std::noop_coroutine();
        }
        void await_resume() noexcept {}
      };
      return Final{};
    }
    template <typename U>
    void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
    void unhandled_exception() { std::terminate(); }
  };
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  ~Task() { if (handle_) handle_.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    handle_.promise().continuation = caller;
    return handle_;
  }
  T await_resume() { return std::move(*handle_.promise().value); }

 private:
  std::coroutine_handle<promise_type> handle_;
};

template <>
class Task<void> {
 public:
  struct promise_type {
    std::coroutine_handle<> continuation;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  ~Task() { if (handle_) handle_.destroy(); }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    handle_.promise().continuation = caller;
    return handle_;
  }
  void await_resume() {}

 private:
  std::coroutine_handle<promise_type> handle_;
};

template <typename T>
class Generator {
 public:
  struct promise_type {
    T current{};
    Generator get_return_object() { return Generator{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) { current = std::move(v); return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit Generator(std::coroutine_handle<promise_type> h) : handle_(h) {}
  ~Generator() { if (handle_) handle_.destroy(); }

 private:
  std::coroutine_handle<promise_type> handle_;
};

// Stands in for network or disk I/O: always suspends.
struct IoResult {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 42; }
};
inline IoResult read_socket() { return {}; }
inline IoResult write_socket(int) { return {}; }

// Gives other tasks a turn on the executor.
inline std::suspend_always yield_now() { return {}; }

// Moves the coroutine onto a worker thread: code after it runs on another thread.
struct ResumeOnPool {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
inline ResumeOnPool resume_on_pool() { return {}; }

class AsyncMutex;

// RAII ownership of an AsyncMutex; unlocking resumes the next waiter.
class AsyncMutexLock {
 public:
  explicit AsyncMutexLock(AsyncMutex& m) : mutex_(&m) {}
  AsyncMutexLock(AsyncMutexLock&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
  ~AsyncMutexLock();

 private:
  AsyncMutex* mutex_;
};

// A mutex whose waiters suspend instead of blocking the thread.
class AsyncMutex {
 public:
  struct LockOperation {
    AsyncMutex& mutex;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() const noexcept {}
  };
  struct ScopedLockOperation {
    AsyncMutex& mutex;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    AsyncMutexLock await_resume() { return AsyncMutexLock{mutex}; }
  };
  LockOperation lock_async() { return {*this}; }
  ScopedLockOperation scoped_lock_async() { return {*this}; }
  bool try_lock() { return true; }
  void lock() {}  // lets std::unique_lock<AsyncMutex> adopt it
  void unlock() {}
};

inline AsyncMutexLock::~AsyncMutexLock() { if (mutex_) mutex_->unlock(); }

}  // namespace demo

// ---- extensions for tests/cases -------------------------------------------
namespace demo {

// An awaitable whose result is a bool (for `if (co_await ...)`).
struct BoolResult {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  bool await_resume() const noexcept { return true; }
};
inline BoolResult check_ready() { return {}; }

// An awaitable whose result is a list (for `for (int v : co_await ...)`).
struct ListResult {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  std::vector<int> await_resume() const { return {1, 2, 3}; }
};
inline ListResult read_list() { return {}; }

inline IoResult write_line(const char*) { return {}; }
inline IoResult sleep_for(int /*ms*/) { return {}; }

// A value protected by a reader/writer mutex, reached through locked pointers.
template <typename T>
class Synchronized {
 public:
  class WLockedPtr {
   public:
    explicit WLockedPtr(Synchronized& s) : lock_(s.mu_), value_(&s.value_) {}
    T* operator->() { return value_; }
    T& operator*() { return *value_; }

   private:
    std::unique_lock<std::shared_mutex> lock_;
    T* value_;
  };
  class RLockedPtr {
   public:
    explicit RLockedPtr(const Synchronized& s) : lock_(s.mu_), value_(&s.value_) {}
    const T* operator->() const { return value_; }
    const T& operator*() const { return *value_; }

   private:
    std::shared_lock<std::shared_mutex> lock_;
    const T* value_;
  };
  WLockedPtr wlock() { return WLockedPtr(*this); }
  RLockedPtr rlock() const { return RLockedPtr(*this); }

 private:
  mutable std::shared_mutex mu_;
  T value_{};
};

// A coroutine-aware counting semaphore: acquire() suspends instead of blocking.
class AsyncSemaphore {
 public:
  explicit AsyncSemaphore(int permits) : permits_(permits) {}
  struct AcquireOperation {
    AsyncSemaphore& sem;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) noexcept {}
    void await_resume() noexcept { --sem.permits_; }
  };
  AcquireOperation acquire() { return {*this}; }
  void release() { ++permits_; }

 private:
  int permits_;
};

}  // namespace demo
