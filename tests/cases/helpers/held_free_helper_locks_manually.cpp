// Plain helpers lock and unlock a global mutex; the coroutine awaits between the two calls.
#include <mutex>
#include "coro.h"

std::mutex state_mu;
int state = 0;

void begin_update() { state_mu.lock(); }
void end_update() { state_mu.unlock(); }

demo::Task<void> update(int v) {
  begin_update();
  state = v;
  co_await demo::write_socket(state);  // expect: lock-across-suspend
  end_update();
}
