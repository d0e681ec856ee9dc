// The lock taken after the await in one iteration is still held at the await of the next one.
#include <mutex>
#include "coro.h"

std::mutex batch_mu;
int batched = 0;

demo::Task<void> collect(int rounds) {
  std::unique_lock<std::mutex> lk(batch_mu, std::defer_lock);
  for (int i = 0; i < rounds; ++i) {
    int n = co_await demo::read_socket();  // expect: lock-across-suspend
    if (!lk.owns_lock()) lk.lock();
    batched += n;
  }
}
