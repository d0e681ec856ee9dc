// A guard that is a data member of a local aggregate lives as long as the aggregate.
#include <mutex>
#include "coro.h"

std::mutex table_mu;
int rows = 0;

struct Transaction {
  std::mutex& mu;
  std::lock_guard<std::mutex> hold{mu};
  int changes = 0;
};

demo::Task<void> insert_row() {
  Transaction txn{table_mu};
  ++rows;
  ++txn.changes;
  co_await demo::write_socket(rows);  // expect: lock-across-suspend
}
