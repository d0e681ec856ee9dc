// The guards' names contain "co_await"/"co_yield"; the only real await comes
// before they are constructed.
#include <mutex>
#include "coro.h"

std::mutex flags_mu;
std::mutex counts_mu;
bool flushed = false;
int co_yield_count = 0;

demo::Task<void> finish() {
  co_await demo::write_socket(1);
  auto co_await_guard = std::unique_lock<std::mutex>(flags_mu);
  std::lock_guard<std::mutex> co_yield_lock(counts_mu);
  flushed = true;
  ++co_yield_count;
}
