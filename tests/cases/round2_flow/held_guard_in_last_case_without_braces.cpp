// A guard declared directly under the last case label (legal: no label follows)
// lives to the end of the switch body, across the await in that case.
#include <mutex>
#include "coro.h"

std::mutex journal_mu;
int journal_len = 0;

demo::Task<void> apply(int op) {
  switch (op) {
    case 0:
      co_await demo::yield_now();
      break;
    case 1:
      ++journal_len;
      break;
    default:
      std::lock_guard<std::mutex> g(journal_mu);
      journal_len = 0;
      co_await demo::write_socket(journal_len);  // expect: lock-across-suspend
  }
  co_await demo::yield_now();
}
