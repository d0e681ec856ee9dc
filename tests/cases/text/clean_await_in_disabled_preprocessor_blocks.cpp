// Awaits inside #if 0, a false #elif and a false #if are never compiled. (An #ifdef is kept:
// a review cannot know the build's -D flags.)
#include <mutex>
#include "coro.h"

std::mutex buf_mu;
int buffered = 0;

demo::Task<void> flush() {
  co_await demo::yield_now();
  std::lock_guard<std::mutex> g(buf_mu);
#if 0
  co_await demo::write_socket(buffered);
#endif
#if 0
  co_await demo::yield_now();
#elif 0
  co_await demo::read_socket();
#else
  buffered = 0;
#endif
#if defined(__cplusplus) && 0
  co_await demo::read_socket();
#endif
}
