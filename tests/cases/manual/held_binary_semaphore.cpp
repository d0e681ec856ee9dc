// std::binary_semaphore used as a mutex, acquired before the await.
#include <semaphore>
#include "coro.h"

namespace gpu {
std::binary_semaphore device{1};

demo::Task<void> submit(int batch) {
  device.acquire();
  co_await demo::write_socket(batch);  // expect: lock-across-suspend
  co_await demo::read_socket();
  device.release();
}
}  // namespace gpu
