// The header's util::ShardLock exposes unlock(); every path calls it before the
// coroutine awaits, and the destructor then has nothing to release.
#include <array>
#include <cstdio>

#include "coro.h"
#include "guarded.h"

namespace cache {

class ShardedCache {
 public:
  demo::Task<bool> insert(int key, long bytes) {
    util::Shard& shard = shards_[static_cast<unsigned>(key) % shards_.size()];
    util::ShardLock lock(shard);
    if (shard.bytes + bytes > kShardLimit) {
      const long over = shard.bytes + bytes - kShardLimit;
      lock.unlock();
      std::fprintf(stderr, "cache: shard full by %ld bytes\n", over);
      co_await demo::write_socket(static_cast<int>(over));
      co_return false;
    }
    shard.bytes += bytes;
    ++shard.entries;
    lock.unlock();
    co_await demo::write_socket(key);
    co_return true;
  }

 private:
  static constexpr long kShardLimit = 1 << 20;
  std::array<util::Shard, 16> shards_;
};

}  // namespace cache
