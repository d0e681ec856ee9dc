// If parse() throws, the catch handler does not unlock and execution continues to the await.
#include <mutex>
#include <stdexcept>
#include "coro.h"

std::mutex parse_mu;
int errors = 0;

void parse(int payload) {
  if (payload < 0) throw std::invalid_argument("negative payload");
}

demo::Task<void> handle(int payload) {
  std::unique_lock<std::mutex> lk(parse_mu);
  try {
    parse(payload);
    lk.unlock();
  } catch (const std::exception&) {
    ++errors;
  }
  co_await demo::write_socket(errors);  // expect: lock-across-suspend
}
