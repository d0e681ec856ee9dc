// seastar::gate::holder only keeps the gate open for shutdown; it is not a lock
// or a permit, so holding it across suspensions is the intended use.
#include <seastar/core/coroutine.hh>
#include <seastar/core/gate.hh>
#include <seastar/core/sleep.hh>
#include <chrono>

#include "net/peer.hh"

using namespace std::chrono_literals;

class heartbeat_sender {
    seastar::gate _gate;
    std::vector<peer*> _peers;
public:
    seastar::future<> run() {
        auto holder = _gate.hold();
        while (!_gate.is_closed()) {
            for (auto* p : _peers) {
                co_await p->send_heartbeat();
            }
            co_await seastar::sleep(250ms);
        }
    }

    seastar::future<> stop() {
        co_await _gate.close();
    }
};
