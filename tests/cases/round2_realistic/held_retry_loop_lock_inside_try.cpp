// A retry loop: inside the try block the unique_lock is released on the success
// path only after the send; the catch handler cannot await, so the backoff await
// happens after it, when the try block's lock is already destroyed.
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>

#include "coro.h"

namespace replication {

struct TransientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Follower {
 public:
  demo::Task<bool> ship(const std::string& entry) {
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      bool retry = false;
      try {
        const int conn = co_await demo::read_socket();
        if (conn < 0) throw TransientError("no connection");
        std::unique_lock<std::mutex> lk(state_mu_);
        state_ = State::Sending;
        const int acked = co_await demo::write_socket(static_cast<int>(entry.size()));  // expect: lock-across-suspend
        state_ = acked >= 0 ? State::Idle : State::Failed;
        lk.unlock();
        if (acked >= 0) co_return true;
        retry = true;
      } catch (const TransientError& e) {
        std::fprintf(stderr, "ship attempt %d: %s\n", attempt, e.what());
        retry = true;
      }
      if (retry) co_await demo::sleep_for(50 << attempt);
    }
    co_return false;
  }

 private:
  enum class State { Idle, Sending, Failed };
  static constexpr int kMaxAttempts = 4;
  std::mutex state_mu_;
  State state_ = State::Idle;
};

}  // namespace replication
