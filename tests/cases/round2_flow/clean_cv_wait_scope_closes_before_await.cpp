// condition_variable::wait needs a unique_lock; the block holding it closes
// before the coroutine awaits the processing of the taken item.
#include <condition_variable>
#include <deque>
#include <mutex>
#include "coro.h"

std::mutex inbox_mu;
std::condition_variable inbox_cv;
std::deque<int> inbox;

demo::Task<void> consume_one() {
  int item;
  {
    std::unique_lock<std::mutex> lk(inbox_mu);
    inbox_cv.wait(lk, [] { return !inbox.empty(); });
    item = inbox.front();
    inbox.pop_front();
  }
  co_await demo::write_socket(item);
}
