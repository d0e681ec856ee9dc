// A guard emplaced into a std::optional on one path may be held at the await.
#include <mutex>
#include <optional>
#include "coro.h"

std::mutex shard_mu;
int shard_writes = 0;

demo::Task<void> write_shard(bool exclusive) {
  std::optional<std::lock_guard<std::mutex>> hold;
  if (exclusive) hold.emplace(shard_mu);
  ++shard_writes;
  co_await demo::write_socket(shard_writes);  // expect: lock-across-suspend
}
