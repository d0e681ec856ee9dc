// An alias template for the guard and a type alias for the mutex.
#include <mutex>
#include "coro.h"

using Mutex = std::mutex;
template <class M>
using WriteLock = std::unique_lock<M>;

struct Index {
  Mutex mu;
  int generation = 0;
};

demo::Task<void> rebuild(Index& idx) {
  WriteLock<Mutex> wl(idx.mu);
  ++idx.generation;
  co_await demo::sleep_for(5);  // expect: lock-across-suspend
}
