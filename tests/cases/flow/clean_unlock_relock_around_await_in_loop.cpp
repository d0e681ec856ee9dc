// The lock is dropped before each await and re-taken after it; it is never held at a suspension.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex work_mu;
std::vector<int> work;

demo::Task<void> drain() {
  std::unique_lock<std::mutex> lk(work_mu);
  while (!work.empty()) {
    int item = work.back();
    work.pop_back();
    lk.unlock();
    co_await demo::write_socket(item);
    lk.lock();
  }
}
