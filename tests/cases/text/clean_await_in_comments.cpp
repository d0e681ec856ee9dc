// co_await / co_yield appear only in line and block comments while the guard is alive.
#include <mutex>
#include "coro.h"

std::mutex notes_mu;
int notes = 0;

demo::Task<void> note(int n) {
  co_await demo::yield_now();
  std::lock_guard<std::mutex> g(notes_mu);
  // TODO: co_await demo::write_socket(notes) once the writer is async-safe
  notes += n; /* co_await flush(); */
  /*
   * Previously:
   *   co_yield notes;
   *   co_await demo::yield_now();
   */
}
