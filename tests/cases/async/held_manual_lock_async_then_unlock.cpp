// Manual `co_await m.lock_async(); ... m.unlock();` with I/O in between.
#include "coro.h"

demo::AsyncMutex index_mu;
int index_entries = 0;

demo::Task<void> reindex(int batch) {
  co_await index_mu.lock_async();
  index_entries += batch;
  co_await demo::write_socket(index_entries);  // expect: async-lock-across-suspend
  index_mu.unlock();
}
