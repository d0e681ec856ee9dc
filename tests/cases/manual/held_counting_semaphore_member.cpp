// A std::counting_semaphore member: the permit is held across the upload.
#include <semaphore>
#include "coro.h"

class Uploader {
 public:
  demo::Task<int> upload(int chunk) {
    slots_.acquire();
    int sent = co_await demo::write_socket(chunk);  // expect: lock-across-suspend
    slots_.release();
    co_return sent;
  }

 private:
  std::counting_semaphore<4> slots_{4};
};
