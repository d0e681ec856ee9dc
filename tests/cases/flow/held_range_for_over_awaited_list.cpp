// `for (v : co_await list())` with a guard taken before the loop: the range-init await is the first held one.
#include <mutex>
#include "coro.h"

std::mutex sum_mu;
long total = 0;

demo::Task<void> sum_remote() {
  std::lock_guard<std::mutex> g(sum_mu);
  for (int v : co_await demo::read_list()) {  // expect: lock-across-suspend
    total += co_await demo::write_socket(v);
  }
}
