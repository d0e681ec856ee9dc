// release() hands back the still-locked mutex, which is unlocked right away, before the await.
#include <mutex>
#include "coro.h"

std::mutex pool_mu;
int pool_size = 0;

demo::Task<void> shrink() {
  std::unique_lock<std::mutex> lk(pool_mu);
  int now = --pool_size;
  lk.release()->unlock();
  co_await demo::write_socket(now);
}
