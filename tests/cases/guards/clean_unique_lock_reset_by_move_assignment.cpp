// Move-assigning an empty unique_lock unlocks the mutex the old one owned.
#include <mutex>
#include "coro.h"

std::mutex ring_mu;
int ring_head = 0;

demo::Task<int> advance() {
  std::unique_lock<std::mutex> lk(ring_mu);
  int head = ++ring_head;
  lk = std::unique_lock<std::mutex>();
  co_return co_await demo::write_socket(head);
}
