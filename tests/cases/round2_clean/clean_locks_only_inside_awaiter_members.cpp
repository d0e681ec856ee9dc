// The awaiter locks in operator co_await, await_ready, await_suspend and
// await_resume; each lock ends inside that member. The coroutine holds nothing.
#include <coroutine>
#include <deque>
#include <mutex>
#include "coro.h"

class Mailbox {
 public:
  struct Receive {
    Mailbox& box;
    bool await_ready() {
      std::lock_guard<std::mutex> g(box.mu_);
      return !box.items_.empty();
    }
    bool await_suspend(std::coroutine_handle<> h) {
      std::unique_lock<std::mutex> lk(box.mu_);
      if (!box.items_.empty()) return false;
      box.waiter_ = h;
      return true;
    }
    int await_resume() {
      std::scoped_lock lk(box.mu_);
      int v = box.items_.front();
      box.items_.pop_front();
      return v;
    }
  };

  struct ReceiveOp {
    Mailbox& box;
    Receive operator co_await() {
      std::lock_guard<std::mutex> g(box.mu_);
      ++box.receivers_;
      return Receive{box};
    }
  };

  ReceiveOp receive() { return ReceiveOp{*this}; }

 private:
  std::mutex mu_;
  std::deque<int> items_;
  std::coroutine_handle<> waiter_;
  int receivers_ = 0;
};

demo::Task<int> next_message(Mailbox& box) {
  int v = co_await box.receive();
  co_return v;
}
