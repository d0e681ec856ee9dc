// A NOLINT for a different lockspan rule does not suppress the rule that actually fires.
#include <mutex>
#include "coro.h"

std::mutex table_mu;
demo::AsyncMutex io_mu;
int rows = 0;

demo::Task<void> insert(int v) {
  std::lock_guard<std::mutex> g(table_mu);
  rows += v;
  co_await demo::write_socket(rows);  // NOLINT(lockspan-async-lock-across-suspend) // expect: lock-across-suspend
}

demo::Task<void> export_rows() {
  auto lock = co_await io_mu.scoped_lock_async();
  co_await demo::write_socket(rows);  // NOLINT(lockspan-lock-across-suspend) // expect: async-lock-across-suspend
}
