// A read-locked pointer temporary in the co_yield operand lives until the full expression ends, after resumption.
#include <vector>
#include "coro.h"

demo::Synchronized<std::vector<int>> feed;

demo::Generator<int> sizes(int n) {
  for (int i = 0; i < n; ++i) {
    co_yield static_cast<int>(feed.rlock()->size());  // expect: lock-across-suspend
  }
}
