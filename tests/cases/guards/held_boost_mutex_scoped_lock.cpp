// boost::mutex::scoped_lock (a typedef for boost::unique_lock<boost::mutex>).
#include <boost/thread/mutex.hpp>
#include "coro.h"

namespace {
boost::mutex journal_mtx;
int journal_len = 0;
}  // namespace

demo::Task<void> append_entry(int entry) {
  boost::mutex::scoped_lock lock(journal_mtx);
  journal_len += entry;
  if (journal_len > 100) {
    co_await demo::write_socket(journal_len);  // expect: lock-across-suspend
    journal_len = 0;
  }
}
