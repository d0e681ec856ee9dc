// The lock moves into a variable of an inner block; that block's end destroys it,
// and the outer (moved-from) lock owns nothing at the await.
#include <mutex>
#include <utility>
#include "coro.h"

std::mutex index_mu;
int index_version = 0;

demo::Task<void> reindex() {
  std::unique_lock<std::mutex> lk(index_mu);
  {
    auto taken = std::move(lk);
    ++index_version;
  }
  co_await demo::write_socket(index_version);
}
