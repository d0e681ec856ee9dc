// Each branch and the loop await first; the lock is taken after the last
// suspension on every path and lives until co_return.
#include <mutex>
#include "coro.h"

std::mutex results_mu;
long results = 0;
int failures = 0;

demo::Task<long> gather(bool remote, int parts) {
  long got = 0;
  if (remote) {
    got = co_await demo::read_socket();
  } else {
    for (int i = 0; i < parts; ++i) got += co_await demo::read_socket();
  }
  std::unique_lock<std::mutex> lk(results_mu);
  if (got < 0) {
    ++failures;
    co_return -1;
  }
  results += got;
  co_return results;
}
