// A coroutine function template; the guard type does not depend on the template parameter.
#include <mutex>
#include "coro.h"

template <typename T>
struct Box {
  std::mutex mu;
  T value{};
};

template <typename T>
demo::Task<void> publish(Box<T>& box) {
  std::lock_guard<std::mutex> g(box.mu);
  co_await demo::write_socket(static_cast<int>(box.value));  // expect: lock-across-suspend
}

demo::Task<void> publish_all(Box<int>& a, Box<long>& b) {
  co_await publish(a);
  co_await publish(b);
}
