// A class template's helper returns a reader lock (std::shared_lock).
#include <shared_mutex>
#include <vector>
#include "coro.h"

template <typename T>
class Store {
 public:
  std::shared_lock<std::shared_mutex> reader() const { return std::shared_lock<std::shared_mutex>(mu_); }

  demo::Task<int> stream() const {
    auto r = reader();
    int total = 0;
    for (const T& item : items_) total += co_await demo::write_socket(static_cast<int>(item));  // expect: lock-across-suspend
    co_return total;
  }

 private:
  mutable std::shared_mutex mu_;
  std::vector<T> items_;
};

template class Store<int>;
