// A free helper is declared before the coroutine and defined after it.
#include <mutex>
#include "coro.h"

namespace cfg {

std::unique_lock<std::mutex> hold_settings();
int generation = 0;

demo::Task<void> reload() {
  auto hold = hold_settings();
  ++generation;
  co_await demo::sleep_for(10);  // expect: lock-across-suspend
}

std::mutex settings_mu;
std::unique_lock<std::mutex> hold_settings() { return std::unique_lock<std::mutex>(settings_mu); }

}  // namespace cfg
