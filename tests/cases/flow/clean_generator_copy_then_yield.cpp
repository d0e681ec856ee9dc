// Each item is copied under a short guard; the yield happens after the guard's block ends.
#include <cstddef>
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex feed_mu;
std::vector<int> feed;

demo::Generator<int> items() {
  for (std::size_t i = 0;; ++i) {
    int v;
    {
      std::lock_guard<std::mutex> g(feed_mu);
      if (i >= feed.size()) break;
      v = feed[i];
    }
    co_yield v;
  }
}
