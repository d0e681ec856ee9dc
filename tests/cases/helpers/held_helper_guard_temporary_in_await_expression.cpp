// A guard returned by a helper is a temporary inside the awaited full expression, so it is alive at the suspension.
#include <mutex>
#include "coro.h"

std::mutex tickets_mu;
int next_ticket = 0;

std::unique_lock<std::mutex> lock_tickets() { return std::unique_lock<std::mutex>(tickets_mu); }
int take_ticket(const std::unique_lock<std::mutex>&) { return ++next_ticket; }

demo::Task<void> issue() {
  co_await demo::write_socket(take_ticket(lock_tickets()));  // expect: lock-across-suspend
}
