// NOLINT / NOLINTNEXTLINE naming other checks must not hide lockspan findings.
#include <mutex>
#include "coro.h"

std::mutex stats_mu;
int stats = 0;

demo::Task<void> report() {
  std::lock_guard<std::mutex> g(stats_mu);
  ++stats;
  co_await demo::write_socket(stats);  // NOLINT(bugprone-unused-return-value) // expect: lock-across-suspend
}

demo::Task<void> reset() {
  std::lock_guard<std::mutex> g(stats_mu);
  stats = 0;
  // NOLINTNEXTLINE(readability-magic-numbers)
  co_await demo::sleep_for(250);  // expect: lock-across-suspend
}
