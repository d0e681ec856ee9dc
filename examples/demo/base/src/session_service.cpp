// Request handlers of the session service.
#include <string>

#include "session_cache.h"
#include "task.h"

SessionCache cache;

demo::Task<int> touch(std::string id) {
  int v = cache.version(id);
  co_return co_await demo::publish(v);
}
