// The guard lives in a nested block inside a loop; every way out of that block
// (normal end, break, continue, co_return) destroys it before any await.
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex peers_mu;
std::vector<int> peers;

demo::Task<int> ping_some(int limit) {
  int sent = 0;
  for (std::size_t i = 0;; ++i) {
    int peer;
    {
      std::lock_guard<std::mutex> g(peers_mu);
      if (i >= peers.size()) break;
      if (peers[i] < 0) continue;
      if (sent >= limit) co_return sent;
      peer = peers[i];
    }
    sent += co_await demo::write_socket(peer) > 0 ? 1 : 0;
  }
  co_await demo::yield_now();
  co_return sent;
}
