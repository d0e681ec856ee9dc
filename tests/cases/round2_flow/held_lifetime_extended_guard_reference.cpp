// A guard temporary bound to a const reference has its lifetime extended to the
// reference's scope, so the mutex stays locked across the await.
#include <mutex>
#include "coro.h"

std::mutex stats_mu;
long requests = 0;

demo::Task<void> count_request(int payload) {
  const auto& guard = std::lock_guard<std::mutex>(stats_mu);
  ++requests;
  co_await demo::write_socket(payload);  // expect: lock-across-suspend
}
