// std::scoped_lock with explicit template arguments over two mutex types, taken after a first await.
#include <mutex>
#include "coro.h"

std::mutex index_mu;
std::recursive_mutex blob_mu;
int index_size = 0, blob_size = 0;

demo::Task<void> compact() {
  co_await demo::yield_now();
  std::scoped_lock<std::mutex, std::recursive_mutex> both(index_mu, blob_mu);
  index_size = blob_size = 0;
  co_await demo::write_socket(0);  // expect: lock-across-suspend
}
