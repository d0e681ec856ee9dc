// A coroutine-aware semaphore of a type we cannot see: the awaited acquire is a permit, release() returns it.
#include "third_party/async_sem.h"
#include "coro.h"

extern vendor::Semaphore upload_sem;

demo::Task<void> upload(int chunk) {
  co_await upload_sem.acquire();
  int n = chunk * 2;
  upload_sem.release();
  co_await demo::write_socket(n);
}
