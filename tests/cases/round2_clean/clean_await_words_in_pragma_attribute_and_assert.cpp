// While the guard is held, "co_await"/"co_yield" appear only in a pragma message,
// a deprecation attribute's string, a static_assert message and a _Pragma string.
#include <mutex>
#include "coro.h"

std::mutex cfg_mu;
int cfg_version = 0;

[[deprecated("call reload() and co_await it instead")]] void reload_sync();

demo::Task<void> bump_config() {
  co_await demo::yield_now();
  std::lock_guard<std::mutex> g(cfg_mu);
#pragma message("TODO: co_await the config push here")
  static_assert(sizeof(int) >= 4, "co_yield needs 32-bit ints");
  _Pragma("message(\"co_await removed\")")
  ++cfg_version;
}
