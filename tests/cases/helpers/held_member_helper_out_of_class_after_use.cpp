// Both the coroutine and the helper are defined out of class; the helper's body comes last.
#include <mutex>
#include "coro.h"

class Inventory {
 public:
  demo::Task<void> restock(int n);

 private:
  std::unique_lock<std::mutex> lock_items();
  std::mutex items_mu_;
  int items_ = 0;
};

demo::Task<void> Inventory::restock(int n) {
  auto hold = lock_items();
  items_ += n;
  co_await demo::read_socket();  // expect: lock-across-suspend
}

std::unique_lock<std::mutex> Inventory::lock_items() {
  return std::unique_lock<std::mutex>{items_mu_};
}
