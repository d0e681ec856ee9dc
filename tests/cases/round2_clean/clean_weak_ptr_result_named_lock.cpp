// Variables named `lock` and `locked` hold shared_ptrs from weak_ptr::lock();
// they keep objects alive, not mutexes.
#include <map>
#include <memory>
#include "coro.h"

struct Peer {
  int id = 0;
};

class Gossip {
 public:
  demo::Task<int> fan_out() {
    int sent = 0;
    for (auto& [id, weak] : peers_) {
      auto lock = weak.lock();
      if (!lock) continue;
      sent += co_await demo::write_socket(lock->id);
    }
    if (std::shared_ptr<Peer> locked = leader_.lock()) {
      co_await demo::write_socket(locked->id);
    }
    co_return sent;
  }

 private:
  std::map<int, std::weak_ptr<Peer>> peers_;
  std::weak_ptr<Peer> leader_;
};
