// std::lock + adopt_lock guards inside a block that closes before the await.
#include <mutex>
#include "coro.h"

std::mutex left_mu, right_mu;
int left = 0, right = 0;

demo::Task<void> swap_sides() {
  {
    std::lock(left_mu, right_mu);
    std::unique_lock<std::mutex> l1(left_mu, std::adopt_lock);
    std::unique_lock<std::mutex> l2(right_mu, std::adopt_lock);
    int t = left;
    left = right;
    right = t;
  }
  co_await demo::yield_now();
}
