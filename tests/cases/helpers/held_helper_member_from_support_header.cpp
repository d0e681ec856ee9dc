// A member helper from a support/ header returns a project guard class.
#include "support/table_locks.h"
#include "support/coro.h"

class Loader {
 public:
  demo::Task<void> load(tables::Shard& shard) {
    tables::ShardGuard guard = shard.lock();
    shard.rows += co_await demo::read_socket();  // expect: lock-across-suspend
  }
};
