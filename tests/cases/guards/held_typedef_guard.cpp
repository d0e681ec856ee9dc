// The guard type is hidden behind a typedef.
#include <mutex>
#include "coro.h"

typedef std::lock_guard<std::mutex> MutexGuard;

static std::mutex g_peers_mutex;
static int g_peer_count;

demo::Task<void> AddPeer(int id)
{
  MutexGuard guard(g_peers_mutex);
  g_peer_count++;
  co_await demo::write_socket(id);  // expect: lock-across-suspend
}
