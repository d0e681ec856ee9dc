// `continue` in a do-while jumps to the condition and skips the unlock; the next
// iteration's await at the top of the body then runs with the lock held.
#include <deque>
#include <mutex>
#include "coro.h"

std::mutex jobs_mu;
std::deque<int> jobs;
bool running = true;

demo::Task<void> worker() {
  std::unique_lock<std::mutex> lk(jobs_mu, std::defer_lock);
  do {
    co_await demo::check_ready();  // expect: lock-across-suspend
    if (!lk.owns_lock()) lk.lock();
    if (jobs.empty()) continue;
    int job = jobs.front();
    jobs.pop_front();
    lk.unlock();
    co_await demo::write_socket(job);
  } while (running);
}
