// A guard declared in a switch init-statement is alive in every case label.
#include <mutex>
#include "coro.h"

enum class State { Idle, Busy, Done };

struct Machine {
  std::mutex mu;
  State state = State::Idle;
};

demo::Task<void> step(Machine& m) {
  switch (std::lock_guard g(m.mu); m.state) {
    case State::Idle:
      m.state = State::Busy;
      break;
    case State::Busy:
      co_await demo::yield_now();  // expect: lock-across-suspend
      break;
    case State::Done:
      co_return;
  }
}
