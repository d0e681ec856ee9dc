// unique_lock::release() gives up ownership without unlocking: the mutex stays locked.
#include <mutex>
#include "coro.h"

std::mutex pool_mu;
int pool_size = 0;

demo::Task<void> grow() {
  std::unique_lock<std::mutex> lk(pool_mu);
  ++pool_size;
  std::mutex* raw = lk.release();
  co_await demo::write_socket(pool_size);  // expect: lock-across-suspend
  raw->unlock();
}
