// The guard is declared by a project macro.
#include <mutex>
#include "coro.h"

#define LOCK_SCOPE(m) std::lock_guard<std::mutex> lock_scope_##m(m)

std::mutex peers_mu;
int peers = 0;

demo::Task<void> add_peer(int id) {
  LOCK_SCOPE(peers_mu);
  ++peers;
  co_await demo::write_socket(id);  // expect: lock-across-suspend
}
