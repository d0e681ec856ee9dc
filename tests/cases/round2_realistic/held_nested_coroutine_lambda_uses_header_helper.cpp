// A member coroutine builds a coroutine lambda that takes the header's
// lock_risk() guard and awaits under it (a finding in the lambda). The outer
// coroutine awaits the lambda's tasks without holding anything itself.
#include <cstdio>
#include <string>
#include <vector>

#include "order_book.h"

namespace trading {

class RiskReporter {
 public:
  demo::Task<int> report(const std::vector<std::string>& desks) {
    auto report_desk = [this](std::string desk) -> demo::Task<int> {
      auto risk = lock_risk();
      const long exposure = g_open_exposure;
      if (exposure == 0) co_return 0;
      int ack = co_await demo::write_socket(static_cast<int>(exposure % 997));  // expect: lock-across-suspend
      std::fprintf(stderr, "desk %s acked %d\n", desk.c_str(), ack);
      co_return ack;
    };

    int total = 0;
    for (const auto& desk : desks) {
      if (desk.empty()) continue;
      total += co_await report_desk(desk);
    }
    {
      auto risk = lock_risk();
      last_total_ = total;
    }
    co_await demo::yield_now();
    co_return total;
  }

 private:
  int last_total_ = 0;
};

}  // namespace trading
