// The header's RegistryLatch locks in its constructor through a private
// acquire() member; the latch is alive at the announce await.
#include <cstdio>
#include <string>

#include "coro.h"
#include "registry.h"

namespace discovery {

class Announcer {
 public:
  demo::Task<bool> announce(const std::string& name, Endpoint ep) {
    if (ep.port <= 0) {
      std::fprintf(stderr, "announce %s: bad port\n", name.c_str());
      co_return false;
    }
    RegistryLatch latch(g_registry_mu);
    g_registry[name] = ep;
    ++announced_;
    const int ack = co_await demo::write_socket(ep.port);  // expect: lock-across-suspend
    co_return ack >= 0;
  }

 private:
  int announced_ = 0;
};

}  // namespace discovery
