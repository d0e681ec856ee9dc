// The await in the guard's constructor argument completes before the mutex is locked; nothing suspends after.
#include <mutex>
#include "coro.h"

std::mutex shards[4];
int put_count = 0;

demo::Task<std::mutex*> pick_shard(int key) {
  co_await demo::yield_now();
  co_return &shards[key % 4];
}

demo::Task<void> put(int key) {
  std::unique_lock<std::mutex> lk(*co_await pick_shard(key));
  ++put_count;
}
