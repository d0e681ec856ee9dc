// A coroutine lambda defined inside a coroutine holds its own guard across its own await.
#include <mutex>
#include "coro.h"

std::mutex pool_mu;
int active = 0;

demo::Task<void> run_all(int n) {
  auto worker = [](int id) -> demo::Task<void> {
    std::scoped_lock lk(pool_mu);
    ++active;
    co_await demo::write_socket(id);  // expect: lock-across-suspend
  };
  for (int i = 0; i < n; ++i) co_await worker(i);
}
