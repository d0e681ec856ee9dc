// `auto g = std::unique_lock(m)` deduces std::unique_lock<std::mutex>; trailing return type.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex pending_mu;
std::vector<int> pending;

auto flush_pending() -> demo::Task<int> {
  auto g = std::unique_lock(pending_mu);
  int sent = 0;
  while (!pending.empty()) {
    sent += co_await demo::write_socket(pending.back());  // expect: lock-across-suspend
    pending.pop_back();
  }
  co_return sent;
}
