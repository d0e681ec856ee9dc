// A scope object records its duration in its destructor, taking a mutex only
// inside the destructor; no mutex is locked while the coroutine is suspended.
#include <chrono>
#include <mutex>
#include <vector>
#include "coro.h"

std::mutex timings_mu;
std::vector<long> timings;

class TimedScope {
 public:
  TimedScope() : start_(std::chrono::steady_clock::now()) {}
  ~TimedScope() {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
    std::lock_guard<std::mutex> g(timings_mu);
    timings.push_back(us.count());
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

demo::Task<int> timed_request(int payload) {
  TimedScope scope;
  int reply = co_await demo::write_socket(payload);
  co_await demo::read_socket();
  co_return reply;
}
