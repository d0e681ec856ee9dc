// withWLock runs its lambda synchronously and rlock() is a temporary; only copies cross the await.
#include <folly/Synchronized.h>
#include "coro.h"

struct Stats {
  int ticks = 0;
};

class Ticker {
 public:
  demo::Task<void> tick() {
    int n = stats_.withWLock([](Stats& s) { return ++s.ticks; });
    int r = stats_.rlock()->ticks;
    co_await demo::write_socket(n + r);
  }

 private:
  folly::Synchronized<Stats> stats_;
};
