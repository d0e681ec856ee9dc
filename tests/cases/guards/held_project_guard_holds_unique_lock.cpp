// A project access class whose only lock state is a std::unique_lock member.
#include <mutex>
#include "coro.h"

template <typename T>
class Guarded {
 public:
  class Access {
   public:
    explicit Access(Guarded& g) : lock_(g.mu_), value_(g.value_) {}
    T& get() { return value_; }

   private:
    std::unique_lock<std::mutex> lock_;
    T& value_;
  };

 private:
  std::mutex mu_;
  T value_{};
};

Guarded<int> counter;

demo::Task<void> bump() {
  Guarded<int>::Access a{counter};
  ++a.get();
  co_await demo::yield_now();  // expect: lock-across-suspend
}
