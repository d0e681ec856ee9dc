// A minimal coroutine vocabulary for the demo service.
#pragma once
#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace demo {

template <typename T = void>
struct Task {
  struct promise_type {
    std::optional<T> value;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    template <typename U> void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  T await_resume() { return std::move(*handle.promise().value); }
};

template <>
struct Task<void> {
  struct promise_type {
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() {}
};

// Stands in for a network round trip.
struct Rpc {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  int await_resume() const noexcept { return 1; }
};
inline Rpc fetch_from_backend(int) { return {}; }
inline Rpc publish(int) { return {}; }

}  // namespace demo
