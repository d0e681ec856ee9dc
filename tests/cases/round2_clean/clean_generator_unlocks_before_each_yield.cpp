// The generator drops its lock before every co_yield (in both branches) and only
// re-takes it after resuming.
#include <deque>
#include <mutex>
#include "coro.h"

std::mutex feed_mu;
std::deque<int> feed;
bool feed_closed = false;

demo::Generator<int> stream() {
  std::unique_lock<std::mutex> lk(feed_mu);
  while (!feed_closed || !feed.empty()) {
    if (feed.empty()) {
      lk.unlock();
      co_yield -1;
      lk.lock();
      continue;
    }
    int v = feed.front();
    feed.pop_front();
    lk.unlock();
    co_yield v;
    lk.lock();
  }
}
