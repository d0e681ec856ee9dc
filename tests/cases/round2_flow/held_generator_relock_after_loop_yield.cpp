// The generator unlocks around every yield in the loop, but the final summary
// yield after the loop happens with the lock re-taken.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex events_mu;
std::vector<int> events;

demo::Generator<int> replay() {
  std::unique_lock<std::mutex> lk(events_mu);
  for (std::size_t i = 0; i < events.size(); ++i) {
    int e = events[i];
    lk.unlock();
    co_yield e;
    lk.lock();
  }
  co_yield static_cast<int>(events.size());  // expect: lock-across-suspend
}
