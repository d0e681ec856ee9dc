// Four paths through nested ifs; three unlock, the inner else does not.
#include <mutex>
#include "coro.h"

std::mutex quota_mu;
int quota = 100;

demo::Task<bool> charge(int cost, bool priority) {
  std::unique_lock<std::mutex> lk(quota_mu);
  bool ok = false;
  if (cost <= quota) {
    quota -= cost;
    ok = true;
    if (priority) {
      lk.unlock();
    } else if (quota < 10) {
      lk.unlock();
    } else {
      --quota;
    }
  } else {
    lk.unlock();
  }
  co_await demo::write_socket(quota);  // expect: lock-across-suspend
  co_return ok;
}
