// Only project headers (all missing) are included; the std::unique_lock in an out-of-class coroutine is still found.
#include "core/task.h"
#include "net/server.h"
#include "net/socket.h"

namespace svc {

core::Task<void> Server::handle(net::Socket sock) {
  std::unique_lock<std::mutex> lk(conn_mu_);
  ++connections_;
  auto req = co_await sock.read();  // expect: lock-across-suspend
  lk.unlock();
  co_await sock.write(respond(req));
}

}  // namespace svc
