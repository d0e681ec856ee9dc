// An immediately invoked lambda returns the guard into a local.
#include <mutex>
#include "coro.h"

std::mutex key_mu;
int key_version = 0;

demo::Task<void> rotate_key() {
  auto g = [] { return std::unique_lock<std::mutex>(key_mu); }();
  ++key_version;
  co_await demo::write_socket(key_version);  // expect: lock-across-suspend
}
