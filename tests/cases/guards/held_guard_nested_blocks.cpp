// The guard is in an outer block and the await is several blocks deeper; the last await is clean.
#include <mutex>
#include "coro.h"

std::mutex sweep_mu;
int swept = 0;

demo::Task<void> sweep(int n) {
  {
    std::lock_guard<std::mutex> g(sweep_mu);
    for (int i = 0; i < n; ++i) {
      if (i % 2 == 0) {
        {
          ++swept;
          co_await demo::yield_now();  // expect: lock-across-suspend
        }
      }
    }
  }
  co_await demo::yield_now();
}
