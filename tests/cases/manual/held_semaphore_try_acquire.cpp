// try_acquire() succeeded on the path that reaches the await, so the permit is held there.
#include <semaphore>
#include "coro.h"

std::counting_semaphore<2> encoders{2};

demo::Task<bool> encode(int frame) {
  if (!encoders.try_acquire()) {
    co_return false;
  }
  co_await demo::write_socket(frame);  // expect: lock-across-suspend
  encoders.release();
  co_return true;
}
