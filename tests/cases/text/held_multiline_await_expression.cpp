// The awaited expression spans several lines; the primary line is the one with the co_await keyword.
#include <mutex>
#include "coro.h"

std::mutex pending_mu;
int pending = 0;

demo::Task<int> flush_pending() {
  std::lock_guard<std::mutex> g(pending_mu);
  int acked =
      co_await demo::write_socket(  // expect: lock-across-suspend
          static_cast<int>(
              pending));
  pending = 0;
  co_return acked;
}
