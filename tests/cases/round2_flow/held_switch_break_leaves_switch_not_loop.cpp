// `break` inside the switch leaves only the switch: the Peek case keeps the lock
// and falls to the await after the switch, still inside the loop body.
#include <deque>
#include <mutex>
#include "coro.h"

enum class Op { Pop, Peek, Stop };

std::mutex q_mu;
std::deque<int> q;

demo::Task<void> serve(std::deque<Op> ops) {
  for (Op op : ops) {
    std::unique_lock<std::mutex> lk(q_mu);
    int value = 0;
    switch (op) {
      case Op::Pop:
        value = q.front();
        q.pop_front();
        lk.unlock();
        break;
      case Op::Peek:
        value = q.front();
        break;
      case Op::Stop:
        co_return;
    }
    co_await demo::write_socket(value);  // expect: lock-across-suspend
  }
}
