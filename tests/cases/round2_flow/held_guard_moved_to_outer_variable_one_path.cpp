// The inner block's lock is moved into an outer variable on one path, so the
// mutex may still be locked after the block closes.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex index_mu;
int index_version = 0;

demo::Task<void> reindex(bool keep_exclusive) {
  std::unique_lock<std::mutex> outer;
  {
    std::unique_lock<std::mutex> inner(index_mu);
    ++index_version;
    if (keep_exclusive) {
      outer = std::move(inner);
    }
  }
  co_await demo::write_socket(index_version);  // expect: lock-across-suspend
}
