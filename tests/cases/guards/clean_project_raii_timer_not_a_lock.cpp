// A RAII class that takes a mutex only to label a timing record; it never locks it.
#include <chrono>
#include <cstdio>
#include <mutex>
#include "coro.h"

class ScopedLockTimer {
 public:
  explicit ScopedLockTimer(std::mutex& m) : m_(&m), start_(std::chrono::steady_clock::now()) {}
  ~ScopedLockTimer() {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start_);
    std::printf("%p: %lld us\n", static_cast<void*>(m_), static_cast<long long>(us.count()));
  }

 private:
  std::mutex* m_;
  std::chrono::steady_clock::time_point start_;
};

std::mutex cache_mu;

demo::Task<void> refresh() {
  ScopedLockTimer timer(cache_mu);
  co_await demo::read_socket();
}
