// The outer coroutine awaits an immediately invoked coroutine lambda while it holds a guard.
#include <mutex>
#include "coro.h"

std::mutex index_mu;
int index_gen = 0;

demo::Task<void> reindex() {
  std::lock_guard<std::mutex> g(index_mu);
  ++index_gen;
  co_await []() -> demo::Task<void> {  // expect: lock-across-suspend
    co_await demo::yield_now();
  }();
}
