// A chained helper call `table.shard(k).lock()` returns the guard.
#include <array>
#include <mutex>
#include "coro.h"

struct Shard {
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mu); }
  std::mutex mu;
  long bytes = 0;
};

struct Table {
  Shard& shard(int key) { return shards[static_cast<unsigned>(key) % shards.size()]; }
  std::array<Shard, 8> shards;
};

demo::Task<void> ingest(Table& table, int key) {
  auto g = table.shard(key).lock();
  table.shard(key).bytes += co_await demo::read_socket();  // expect: lock-across-suspend
}
