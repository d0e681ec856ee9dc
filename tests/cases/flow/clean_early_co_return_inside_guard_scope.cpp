// co_return inside the guard's block is not a suspension; the await after the block is unguarded.
#include <mutex>
#include "coro.h"

std::mutex cache_mu;
int cache_key = -1;
int cache_val = 0;

demo::Task<int> lookup(int key) {
  {
    std::lock_guard<std::mutex> g(cache_mu);
    if (cache_key == key) co_return cache_val;
  }
  int v = co_await demo::read_socket();
  std::lock_guard<std::mutex> g(cache_mu);
  cache_key = key;
  cache_val = v;
  co_return v;
}
