// A free helper returns a project guard class (movable, unlocks in its destructor).
#include <mutex>
#include <utility>
#include "coro.h"

class PageLatch {
 public:
  explicit PageLatch(std::mutex& m) : m_(&m) { m_->lock(); }
  PageLatch(PageLatch&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  ~PageLatch() {
    if (m_) m_->unlock();
  }

 private:
  std::mutex* m_;
};

std::mutex page_mu[16];

PageLatch latch_page(int page) { return PageLatch(page_mu[page % 16]); }

demo::Task<void> write_page(int page) {
  PageLatch latch = latch_page(page);
  co_await demo::write_socket(page);  // expect: lock-across-suspend
}
