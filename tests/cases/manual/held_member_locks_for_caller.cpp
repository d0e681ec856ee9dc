// A member function leaves the mutex locked for its caller; the matching unlock comes after the await.
#include <mutex>
#include "coro.h"

class Journal {
 public:
  void begin_batch() { mu_.lock(); }
  void end_batch() { mu_.unlock(); }
  demo::Task<void> flush(Journal& other) {
    other.begin_batch();
    co_await demo::write_socket(entries_);  // expect: lock-across-suspend
    other.end_batch();
  }

 private:
  std::mutex mu_;
  int entries_ = 0;
};
