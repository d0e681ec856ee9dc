// A guard taken at the top of each iteration is alive at that iteration's await.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex repl_mu;
int in_flight = 0;

demo::Task<void> replicate(std::vector<int> peers) {
  for (int p : peers) {
    std::lock_guard<std::mutex> g(repl_mu);
    ++in_flight;
    co_await demo::write_socket(p);  // expect: lock-across-suspend
    --in_flight;
  }
}
