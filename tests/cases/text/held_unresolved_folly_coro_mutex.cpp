// folly headers are missing; the async lock from co_scoped_lock() is still held across unrelated I/O.
#include <folly/coro/Mutex.h>
#include <folly/coro/Task.h>
#include "storage/blob_client.h"

class Uploader {
 public:
  folly::coro::Task<void> upload(Blob blob) {
    auto lock = co_await mutex_.co_scoped_lock();
    ++in_flight_;
    co_await client_.put(std::move(blob));  // expect: async-lock-across-suspend
    --in_flight_;
  }

 private:
  folly::coro::Mutex mutex_;
  BlobClient client_;
  int in_flight_ = 0;
};
