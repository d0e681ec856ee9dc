// std::scoped_lock<> over zero mutexes locks nothing.
#include <mutex>
#include "coro.h"

int generation = 0;

demo::Task<void> tick() {
  std::scoped_lock<> nothing_to_lock;
  ++generation;
  co_await demo::write_socket(generation);
}
