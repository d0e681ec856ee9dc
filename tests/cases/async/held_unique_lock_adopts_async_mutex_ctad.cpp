// A CTAD std::unique_lock adopting a cppcoro async_mutex: classify by the mutex, not the guard.
#include <cppcoro/async_mutex.hpp>
#include <mutex>
#include "coro.h"

cppcoro::async_mutex log_mu;
int log_bytes = 0;

demo::Task<void> write_log(int bytes) {
  co_await log_mu.lock_async();
  std::unique_lock lk(log_mu, std::adopt_lock);
  log_bytes += bytes;
  co_await demo::write_socket(bytes);  // expect: async-lock-across-suspend
}
