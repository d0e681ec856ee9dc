// absl::ReleasableMutexLock::Release() unlocks before the coroutine suspends.
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "net/task.h"
#include "net/transport.h"

namespace net {

class PeerTable {
 public:
  Task<void> Announce(PeerId id, Endpoint ep) {
    absl::ReleasableMutexLock lock(&mu_);
    peers_[id] = ep;
    const int64_t generation = ++generation_;
    lock.Release();
    co_await transport_->Broadcast(id, ep, generation);
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<PeerId, Endpoint> peers_ ABSL_GUARDED_BY(mu_);
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  Transport* transport_;
};

}  // namespace net
