// A connection state machine driven by a loop and a switch. Only the Draining
// state awaits while holding the send-queue lock; the other states release first.
#include <cstdio>
#include <deque>
#include <mutex>

#include "coro.h"

namespace net {

class Connection {
 public:
  demo::Task<void> drive() {
    State st = State::Connecting;
    while (st != State::Closed) {
      switch (st) {
        case State::Connecting: {
          const int fd = co_await demo::read_socket();
          st = fd >= 0 ? State::Open : State::Closed;
          break;
        }
        case State::Open: {
          std::unique_lock<std::mutex> lk(queue_mu_);
          if (queue_.empty()) {
            lk.unlock();
            co_await demo::sleep_for(5);
            break;
          }
          const int msg = queue_.front();
          queue_.pop_front();
          lk.unlock();
          co_await demo::write_socket(msg);
          if (closing_) st = State::Draining;
          break;
        }
        case State::Draining: {
          std::lock_guard<std::mutex> g(queue_mu_);
          while (!queue_.empty()) {
            co_await demo::write_socket(queue_.front());  // expect: lock-across-suspend
            queue_.pop_front();
          }
          st = State::Closed;
          break;
        }
        case State::Closed:
          break;
      }
    }
    std::fprintf(stderr, "connection closed\n");
  }

 private:
  enum class State { Connecting, Open, Draining, Closed };
  std::mutex queue_mu_;
  std::deque<int> queue_;
  bool closing_ = false;
};

}  // namespace net
