// weak_ptr::lock() returns a shared_ptr; it is not a lock.
#include <memory>
#include "coro.h"

struct Session {
  int id = 0;
};

demo::Task<void> ping(std::weak_ptr<Session> weak) {
  if (auto session = weak.lock()) {
    co_await demo::write_socket(session->id);
  }
  auto again = weak.lock();
  co_await demo::yield_now();
}
