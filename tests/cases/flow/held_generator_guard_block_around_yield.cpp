// The first guard dies before the yields; the second block yields while its guard is alive.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex feed_mu;
std::vector<int> feed;

demo::Generator<int> snapshot_then_size() {
  std::vector<int> copy;
  {
    std::lock_guard<std::mutex> g(feed_mu);
    copy = feed;
  }
  for (int v : copy) co_yield v;
  {
    std::lock_guard<std::mutex> g(feed_mu);
    co_yield static_cast<int>(feed.size());  // expect: lock-across-suspend
  }
}
