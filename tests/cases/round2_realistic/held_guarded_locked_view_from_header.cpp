// util::Guarded<T>::lock() (from the header) returns a struct whose member is a
// std::unique_lock; the named view keeps the mutex locked across the await.
#include <string>
#include <vector>

#include "coro.h"
#include "guarded.h"

namespace inventory {

struct Stock {
  std::vector<std::string> skus;
  int reserved = 0;
};

class Warehouse {
 public:
  demo::Task<int> reserve(const std::string& sku) {
    co_await demo::yield_now();
    auto view = stock_.lock();
    bool known = false;
    for (const auto& s : view->skus) known |= (s == sku);
    if (!known) co_return -1;
    ++view->reserved;
    int confirmed = co_await demo::write_socket(view->reserved);  // expect: lock-across-suspend
    co_return confirmed;
  }

 private:
  util::Guarded<Stock> stock_;
};

}  // namespace inventory
