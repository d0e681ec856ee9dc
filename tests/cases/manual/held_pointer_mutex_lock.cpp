// A mutex reached through a shared_ptr, locked with ptr->lock().
#include <memory>
#include <mutex>
#include "coro.h"

struct Shared {
  std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
  int hits = 0;
};

demo::Task<void> hit(Shared& s) {
  s.mu->lock();
  ++s.hits;
  co_await demo::read_socket();  // expect: lock-across-suspend
  s.mu->unlock();
}
