// An engaged std::optional<std::unique_lock> is reset only on the read-only path.
#include <mutex>
#include <optional>
#include "coro.h"

std::mutex table_mu;
int table_rows = 0;

demo::Task<void> touch(bool read_only) {
  std::optional<std::unique_lock<std::mutex>> hold;
  hold.emplace(table_mu);
  if (read_only) {
    hold.reset();
  } else {
    ++table_rows;
  }
  co_await demo::write_socket(table_rows);  // expect: lock-across-suspend
}
