// A project guard that stores a std::mutex& and locks it in its constructor.
#include <mutex>
#include "coro.h"

namespace util {
class ScopedMutex {
 public:
  explicit ScopedMutex(std::mutex& m) : m_(m) { m_.lock(); }
  ~ScopedMutex() { m_.unlock(); }
  ScopedMutex(const ScopedMutex&) = delete;
  ScopedMutex& operator=(const ScopedMutex&) = delete;

 private:
  std::mutex& m_;
};
}  // namespace util

std::mutex registry_mu;
int registered = 0;

demo::Task<int> register_node(int id) {
  util::ScopedMutex lock(registry_mu);
  registered += 1;
  int ack = co_await demo::write_socket(id);  // expect: lock-across-suspend
  co_return ack;
}
