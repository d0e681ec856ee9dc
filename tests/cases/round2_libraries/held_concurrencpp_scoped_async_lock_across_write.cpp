// concurrencpp: async_lock::lock(executor) yields a scoped_async_lock that is
// held across the file write.
#include <concurrencpp/concurrencpp.h>
#include <string>

#include "storage/async_file.h"

class audit_log {
 public:
  concurrencpp::result<void> append(std::shared_ptr<concurrencpp::executor> ex, std::string line) {
    auto guard = co_await lock_.lock(ex);
    line += '\n';
    bytes_ += line.size();
    co_await file_.write_async(std::move(line));  // expect: async-lock-across-suspend
  }

 private:
  concurrencpp::async_lock lock_;
  async_file file_;
  size_t bytes_ = 0;
};
