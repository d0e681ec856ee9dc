// The await is spelled through a macro; the finding belongs on the line where the macro is used.
#include <mutex>
#include "coro.h"

#define AWAIT(expr) co_await (expr)
#define UNUSED_PAUSE() co_await demo::yield_now()

std::mutex out_mu;
int sent = 0;

demo::Task<void> send(int v) {
  std::lock_guard<std::mutex> g(out_mu);
  ++sent;
  int r = AWAIT(demo::write_socket(v));  // expect: lock-across-suspend
  sent += r;
}
