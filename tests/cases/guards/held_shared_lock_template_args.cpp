// std::shared_lock<std::shared_mutex> in a const member coroutine; co_return co_await suspends.
#include <map>
#include <shared_mutex>
#include <string>
#include "coro.h"

class PriceBook {
 public:
  demo::Task<int> publish(std::string sym) const {
    std::shared_lock<std::shared_mutex> reader(mu_);
    auto it = prices_.find(sym);
    int px = it == prices_.end() ? 0 : it->second;
    co_return co_await demo::write_socket(px);  // expect: lock-across-suspend
  }

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, int> prices_;
};
