// The guard returned by the helper is discarded: the temporary dies at the end of the statement.
#include <mutex>
#include "coro.h"

std::mutex writer_mu;

std::unique_lock<std::mutex> lock_writer() { return std::unique_lock<std::mutex>(writer_mu); }

demo::Task<void> wait_for_writer() {
  // Acts as a barrier: blocks until any writer holding writer_mu is done.
  lock_writer();
  co_await demo::read_socket();
}
