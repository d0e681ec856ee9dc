// A plain helper takes the unique_lock by reference and unlocks it; the coroutine
// awaits only after the helper returned.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex batch_mu;
std::vector<int> batch;

int seal_batch(std::unique_lock<std::mutex>& lk) {
  int n = static_cast<int>(batch.size());
  batch.clear();
  lk.unlock();
  return n;
}

demo::Task<void> flush() {
  std::unique_lock<std::mutex> lk(batch_mu);
  if (batch.empty()) co_return;
  int sealed = seal_batch(lk);
  co_await demo::write_socket(sealed);
}
