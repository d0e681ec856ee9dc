// The guard-returning helper lives in a project header under support/, included with quotes.
#include "table_locks.h"
#include "coro.h"

namespace routing {

demo::Task<void> bump_epoch() {
  co_await demo::yield_now();
  auto lk = tables::lock_routing();
  ++tables::routing_epoch;
  co_await demo::write_socket(tables::routing_epoch);  // expect: lock-across-suspend
}

}  // namespace routing
