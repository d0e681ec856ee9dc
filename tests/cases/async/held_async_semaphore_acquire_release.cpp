// A coroutine-aware semaphore permit (co_await acquire()) is held across the upload and released after.
#include "coro.h"

demo::AsyncSemaphore upload_permits{3};

demo::Task<int> upload(int chunk) {
  co_await upload_permits.acquire();
  int sent = co_await demo::write_socket(chunk);  // expect: async-lock-across-suspend
  upload_permits.release();
  co_return sent;
}
