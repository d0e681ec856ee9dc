// A helper returns std::optional<std::unique_lock>; the empty case returns early,
// so the engaged lock is held at the await.
#include <mutex>
#include <optional>
#include "coro.h"

std::mutex gc_mu;
int collections = 0;

std::optional<std::unique_lock<std::mutex>> try_hold(std::mutex& m) {
  std::unique_lock<std::mutex> lk(m, std::try_to_lock);
  if (!lk.owns_lock()) return std::nullopt;
  return lk;
}

demo::Task<bool> collect() {
  auto hold = try_hold(gc_mu);
  if (!hold) co_return false;
  ++collections;
  co_await demo::resume_on_pool();  // expect: lock-across-suspend
  co_return true;
}
