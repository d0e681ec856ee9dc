// A static member helper `Registry::lock()` guards a static mutex.
#include <mutex>
#include <vector>
#include "coro.h"

class Registry {
 public:
  static std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mu_); }
  static inline std::vector<int> ids;

 private:
  static inline std::mutex mu_;
};

demo::Task<void> enroll(int id) {
  auto g = Registry::lock();
  Registry::ids.push_back(id);
  co_await demo::write_socket(id);  // expect: lock-across-suspend
}
