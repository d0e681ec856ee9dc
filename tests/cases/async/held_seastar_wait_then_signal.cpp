// seastar style, manual: permits taken with `co_await sem.wait()` and given back with signal() after the I/O.
#include <seastar/core/semaphore.hh>
#include "coro.h"

seastar::semaphore disk_slots{2};

demo::Task<void> flush_block(int block) {
  co_await disk_slots.wait(1);
  co_await demo::write_socket(block);  // expect: async-lock-across-suspend
  disk_slots.signal(1);
}
