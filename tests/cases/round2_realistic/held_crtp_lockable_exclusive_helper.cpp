// A class deriving from the header's CRTP util::Lockable takes its exclusive()
// guard (a std::unique_lock<std::shared_mutex>) in an out-of-class coroutine.
// The reader coroutine releases its shared() guard in a block before awaiting.
#include <map>
#include <string>

#include "coro.h"
#include "guarded.h"

namespace metrics {

class Registry : public util::Lockable<Registry> {
 public:
  demo::Task<int> scrape();
  demo::Task<void> reset_all();

 private:
  std::map<std::string, long> counters_;
  long scrapes_ = 0;
};

demo::Task<int> Registry::scrape() {
  long total = 0;
  {
    auto reader = shared();
    for (const auto& [name, value] : counters_) total += value;
  }
  co_return co_await demo::write_socket(static_cast<int>(total));
}

demo::Task<void> Registry::reset_all() {
  auto writer = exclusive();
  ++scrapes_;
  for (auto& [name, value] : counters_) {
    if (value == 0) continue;
    co_await demo::write_socket(static_cast<int>(value));  // expect: lock-across-suspend
    value = 0;
  }
}

}  // namespace metrics
