// A vector collects a unique_lock per shard; all of them are still owned by the
// vector at the checkpoint write.
#include <array>
#include <mutex>
#include <vector>
#include "coro.h"

struct Shard {
  std::mutex mu;
  long bytes = 0;
};

std::array<Shard, 8> shards;

demo::Task<long> checkpoint() {
  std::vector<std::unique_lock<std::mutex>> held;
  held.reserve(shards.size());
  long total = 0;
  for (auto& s : shards) {
    held.emplace_back(s.mu);
    total += s.bytes;
  }
  co_await demo::write_socket(static_cast<int>(total));  // expect: lock-across-suspend
  co_return total;
}
