// Assigning std::nullopt destroys the contained unique_lock, unlocking the mutex.
#include <mutex>
#include <optional>
#include "coro.h"

std::mutex table_mu;
int table_rows = 0;

demo::Task<void> grow(int n) {
  std::optional<std::unique_lock<std::mutex>> hold{std::in_place, table_mu};
  table_rows += n;
  const int rows = table_rows;
  hold = std::nullopt;
  co_await demo::write_socket(rows);
}
